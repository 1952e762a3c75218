package dev.quiver.drift;

import java.util.Arrays;

/**
 * The shares of the reference and of the current sample per bin, as Evidently's {@code get_binned_data} makes them
 * for the Jensen-Shannon distance and the PSI.
 *
 * <p>A numerical column whose reference has more than 20 distinct values is cut into equal-width bins over the range
 * of both samples together, as many as Sturges' rule gives for both samples' rows together
 * ({@code numpy.histogram_bin_edges(..., bins="sturges")}: ceil(range / (range / (log2 n + 1))) bins); each bin holds
 * the values from its lower edge up to but not including its upper edge, the last one its upper edge too. Any other
 * column has one bin per distinct value of either sample. A share is the bin's count over the sample's rows.
 *
 * <p>For the PSI, empty bins are then given a small share so that its logarithm is finite, separately for each
 * sample: the smallest non-zero share divided by a million when that share is at most 0.0001, else 0.0001.
 *
 * <p>One difference from Evidently on pandas: NumPy widens the Sturges width to 1 for an integer-typed column when
 * it comes out below 1; values here are doubles, as they are in pandas for any column with a fractional or missing
 * value. That only changes anything when range &lt; log2(rows) + 1 with more than 20 distinct values, so beyond half
 * a million rows.
 *
 * @param reference the reference's share per bin
 * @param current   the current sample's share per bin
 */
public record Binning(double[] reference, double[] current) {

    /** Evidently's threshold of distinct reference values above which numbers are binned by range. */
    static final int MAX_VALUES_AS_CATEGORIES = 20;

    /** Bins two non-empty samples of a column of the given type. */
    public static Binning of(ColumnType type, ColumnValues reference, ColumnValues current, boolean fillEmpty) {
        Binning b;
        if (type == ColumnType.NUMERICAL && reference instanceof ColumnValues.Numbers ref
                && current instanceof ColumnValues.Numbers cur && ref.distinct() > MAX_VALUES_AS_CATEGORIES) {
            b = histogram(ref.values(), cur.values());
        } else {
            CategoryCounts counts = CategoryCounts.of(reference, current);
            b = new Binning(shares(counts.reference(), counts.referenceSize()),
                    shares(counts.current(), counts.currentSize()));
        }
        if (fillEmpty) {
            fillEmpty(b.reference);
            fillEmpty(b.current);
        }
        return b;
    }

    /** Number of bins. */
    public int bins() {
        return reference.length;
    }

    static Binning histogram(double[] reference, double[] current) {
        double[] edges = sturgesEdges(reference, current);
        return new Binning(shares(counts(reference, edges), reference.length),
                shares(counts(current, edges), current.length));
    }

    /** {@code numpy.histogram_bin_edges(concat(reference, current), bins="sturges")} for float data. */
    static double[] sturgesEdges(double[] reference, double[] current) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] sample : new double[][] {reference, current}) {
            for (double v : sample) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return sturgesEdges(min, max, reference.length + current.length);
    }

    /** The same from both samples' smallest and largest values and their rows together. */
    static double[] sturgesEdges(double min, double max, int n) {
        double first = min;
        double last = max;
        if (first == last) {
            first -= 0.5;
            last += 0.5;
        }
        double width = (max - min) / (log2(n) + 1.0);
        int bins = width == 0 ? 1 : (int) Math.ceil((last - first) / width);
        double[] edges = new double[bins + 1];
        double step = (last - first) / bins;
        for (int i = 0; i < bins; i++) {
            edges[i] = i * step + first;
        }
        edges[bins] = last;
        return edges;
    }

    /** log2 that is exact for powers of two, as C's log2 is. */
    private static double log2(int n) {
        if (Integer.bitCount(n) == 1) {
            return Integer.numberOfTrailingZeros(n);
        }
        return Math.log(n) / Math.log(2);
    }

    /** {@code numpy.histogram(values, edges)[0]}: [e_i, e_i+1) per bin, the last one closed. */
    static long[] counts(double[] values, double[] edges) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int bins = edges.length - 1;
        long[] cumulative = new long[bins + 1];
        for (int i = 0; i < bins; i++) {
            cumulative[i] = lowerBound(sorted, edges[i]);
        }
        cumulative[bins] = upperBound(sorted, edges[bins]);
        long[] counts = new long[bins];
        for (int i = 0; i < bins; i++) {
            counts[i] = cumulative[i + 1] - cumulative[i];
        }
        return counts;
    }

    /** Values strictly below {@code x}. */
    private static int lowerBound(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Values at or below {@code x}. */
    private static int upperBound(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static double[] shares(long[] counts, int size) {
        double[] shares = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            shares[i] = counts[i] / (double) size;
        }
        return shares;
    }

    static void fillEmpty(double[] shares) {
        double smallest = Double.POSITIVE_INFINITY;
        for (double s : shares) {
            if (s != 0) {
                smallest = Math.min(smallest, s);
            }
        }
        double fill = smallest <= 0.0001 ? smallest / 1e6 : 0.0001;
        for (int i = 0; i < shares.length; i++) {
            if (shares[i] == 0) {
                shares[i] = fill;
            }
        }
    }
}
