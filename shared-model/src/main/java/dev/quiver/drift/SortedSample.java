package dev.quiver.drift;

/**
 * One sample sorted, as its distinct values with how many of its values are at most each, and an index that finds
 * where a value of another sample falls among them: the two-sample statistics then count the other sample between
 * consecutive distinct values instead of sorting it, which for a million rows against a hundred thousand is most of
 * their work. Values are finite (checked by the caller); -0.0 and 0.0 are one value, as {@code <=} compares them.
 *
 * <p>A value's place is its slot: {@code 2i} when it lies strictly between distinct values {@code i - 1} and
 * {@code i} (below the first for {@code i = 0}, above the last for {@code i = distinct}), {@code 2i + 1} when it
 * equals distinct value {@code i}. The index cuts the range into equal-width buckets, about one distinct value
 * each, and remembers the first distinct value of each bucket, so that a value is compared with the few distinct
 * values of its own bucket only. The bucket is computed by operations that are monotone in rounding, so a value
 * in a lower bucket is smaller whatever the rounding; skewed data only makes some buckets crowded, which are then
 * searched by bisection.
 */
final class SortedSample {

    /** Up to this many candidates a linear scan beats bisection. */
    private static final int SCAN = 8;
    /**
     * Buckets per distinct value: with four, most buckets hold none or one, so a lookup rarely compares more than
     * once; the table (four ints per distinct value) is still smaller than the sample.
     */
    private static final int BUCKETS_PER_VALUE = 4;
    private static final int MAX_BUCKETS = 1 << 28;

    /** The distinct values, ascending: the first {@code distinct} entries, then +infinity as a sentinel. */
    final double[] values;
    /** {@code atMost[i]}: how many of the sample's values are at most {@code values[i]}. */
    final int[] atMost;
    final int distinct;
    final int size;

    private final double origin;
    private final double scale;
    private final int lastBucket;
    /** {@code first[b]}: the index of the first distinct value in bucket b or a later one; {@code first[b+1]} ends b. */
    private final int[] first;

    private SortedSample(double[] values, int[] atMost, int distinct, int size) {
        this.values = values;
        this.atMost = atMost;
        this.distinct = distinct;
        this.size = size;
        double span = values[distinct - 1] - values[0];
        int buckets = (int) Math.min((long) BUCKETS_PER_VALUE * distinct, MAX_BUCKETS);
        double s = buckets / span;
        if (distinct > 1 && span > 0 && Double.isFinite(span) && Double.isFinite(s)) {
            origin = values[0];
            scale = s;
            lastBucket = buckets - 1;
        } else {
            // a single bucket: every lookup bisects the whole sample, still correct
            origin = 0;
            scale = 0;
            lastBucket = 0;
        }
        first = new int[lastBucket + 2];
        int b = 0;
        for (int i = 0; i < distinct; i++) {
            int bi = bucket(values[i]);
            while (b <= bi) {
                first[b++] = i;
            }
        }
        while (b < first.length) {
            first[b++] = distinct;
        }
    }

    /** Sorts a copy of a non-empty sample of finite values. */
    static SortedSample of(double[] sample) {
        if (sample.length == 0) {
            throw new IllegalArgumentException("the sample needs values");
        }
        int n = sample.length;
        double[] v = new double[n + 1];
        RadixSort.sortInto(sample, v);
        int[] atMost = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (k > 0 && v[i] == v[k - 1]) {
                atMost[k - 1] = i + 1;
            } else {
                v[k] = v[i];
                atMost[k++] = i + 1;
            }
        }
        v[k] = Double.POSITIVE_INFINITY;
        return new SortedSample(v, atMost, k, n);
    }

    private int bucket(double x) {
        // (int) saturates and maps NaN (0 * infinity cannot occur: scale is finite) to 0; both keep the order
        int b = (int) ((x - origin) * scale);
        return b < 0 ? 0 : Math.min(b, lastBucket);
    }

    /** The slot of {@code x}; see the class comment. */
    int slot(double x) {
        int b = bucket(x);
        int lo = first[b];
        int hi = first[b + 1];
        // every distinct value before lo is below x and every one from hi on (the sentinel too) above it: find the
        // first one >= x
        if (hi - lo <= SCAN) {
            while (values[lo] < x) {
                lo++;
            }
        } else {
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (values[mid] < x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
        }
        return values[lo] == x ? 2 * lo + 1 : 2 * lo;
    }

    /** How many values of {@code other} fall in each slot: {@code 2 * distinct + 1} counts. */
    int[] counts(double[] other) {
        int[] counts = new int[2 * distinct + 1];
        for (double x : other) {
            counts[slot(x)]++;
        }
        return counts;
    }
}
