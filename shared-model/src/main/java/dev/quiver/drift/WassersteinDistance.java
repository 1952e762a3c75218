package dev.quiver.drift;

import java.util.Arrays;

/**
 * The first Wasserstein (earth mover's) distance between the two samples' empirical distributions,
 * {@code scipy.stats.wasserstein_distance(reference, current)}: the area between their distribution functions.
 * Evidently's {@code wasserstein} test, its default for numerical columns with more than 1,000 reference rows (and
 * more than five distinct values), divides it by the reference's standard deviation (population, ddof 0, as
 * {@code numpy.std}), or by 0.001 when that is smaller, and finds drift when the quotient is at least 0.1.
 *
 * @param distance     the Wasserstein distance, in the column's units
 * @param referenceStd the reference's standard deviation (ddof 0)
 * @param normed       {@code distance / max(referenceStd, 0.001)}: the statistic drift is judged on
 */
public record WassersteinDistance(double distance, double referenceStd, double normed) {

    /** Evidently's floor on the standard deviation it divides by. */
    static final double MIN_STD = 0.001;

    /** Compares two non-empty samples of finite numbers (checked by the caller). */
    public static WassersteinDistance test(double[] reference, double[] current) {
        double distance = distance(reference, current);
        double std = std(reference);
        return new WassersteinDistance(distance, std, distance / Math.max(std, MIN_STD));
    }

    /**
     * The area between the distribution functions. The smaller sample is sorted and the larger only placed between
     * its distinct values: between two consecutive ones the smaller's function is a constant F, and while the
     * larger's stays on one side of F (known exactly from the counts) the area there is |F - G(left)| times the gap's
     * width, plus or minus the sum of the larger sample's distances to the gap's right end over its size. Only gaps
     * where the larger's function crosses F need their values in order; those few are gathered and sorted.
     */
    static double distance(double[] u, double[] v) {
        boolean swap = v.length < u.length;
        SortedSample s = SortedSample.of(swap ? v : u);
        double[] other = swap ? u : v;
        int k = s.distinct;
        double[] x = s.values;
        int n1 = s.size;
        int n2 = other.length;
        int[] slots = new int[n2];
        int[] counts = new int[2 * k + 1];
        // per gap i (slot 2i): the sum of its values' distances to x[i], or to x[k - 1] above the last value,
        // compensated as Sum is, since a gap outside the smaller sample's range may hold most of the larger one
        double[] gaps = new double[k + 1];
        double[] compensation = new double[k + 1];
        for (int j = 0; j < n2; j++) {
            double y = other[j];
            int slot = s.slot(y);
            slots[j] = slot;
            counts[slot]++;
            if ((slot & 1) == 0) {
                int i = slot >> 1;
                double d = i < k ? x[i] - y : y - x[k - 1];
                double sum = gaps[i];
                double t = sum + d;
                compensation[i] += Math.abs(sum) >= Math.abs(d) ? (sum - t) + d : (d - t) + sum;
                gaps[i] = t;
            }
        }
        for (int i = 0; i <= k; i++) {
            gaps[i] += compensation[i];
        }
        Crossings crossings = Crossings.find(s, counts, n2, slots, other);
        Sum sum = new Sum();
        // below x[0] the smaller's function is 0, above x[k - 1] it is 1
        sum.add(gaps[0] / n2);
        long cum = counts[0] + counts[1];
        for (int i = 0; i + 1 < k; i++) {
            int t = counts[2 * i + 2];
            double f = (double) s.atMost[i] / n1;
            double g = (double) cum / n2;
            double w = x[i + 1] - x[i];
            long left = (long) s.atMost[i] * n2 - cum * n1;
            if (left <= 0) {
                sum.add((g - f) * w + gaps[i + 1] / n2);
            } else if ((long) s.atMost[i] * n2 - (cum + t) * n1 >= 0) {
                sum.add((f - g) * w - gaps[i + 1] / n2);
            } else {
                // F - G changes sign inside the gap: the merge's terms over its values in order
                double at = x[i];
                long c = cum;
                for (int r = crossings.start[i + 1], end = r + t; r < end; r++) {
                    double y = crossings.values[r];
                    sum.add(Math.abs(f - (double) c / n2) * (y - at));
                    at = y;
                    c++;
                }
                sum.add(Math.abs(f - (double) c / n2) * (x[i + 1] - at));
            }
            cum += t + counts[2 * i + 3];
        }
        sum.add(gaps[k] / n2);
        return sum.value();
    }

    /** The values of the larger sample in each gap where the distribution functions cross, sorted. */
    private static final class Crossings {
        /** Where each crossing gap's values begin in {@code values}; -1 for the others. */
        final int[] start;
        final double[] values;

        private Crossings(int[] start, double[] values) {
            this.start = start;
            this.values = values;
        }

        static Crossings find(SortedSample s, int[] counts, int n2, int[] slots, double[] other) {
            int k = s.distinct;
            int n1 = s.size;
            int[] start = null;
            int total = 0;
            long cum = counts[0] + counts[1];
            for (int i = 0; i + 1 < k; i++) {
                int t = counts[2 * i + 2];
                long left = (long) s.atMost[i] * n2 - cum * n1;
                if (left > 0 && (long) s.atMost[i] * n2 - (cum + t) * n1 < 0) {
                    if (start == null) {
                        start = new int[k + 1];
                        Arrays.fill(start, -1);
                    }
                    start[i + 1] = total;
                    total += t;
                }
                cum += t + counts[2 * i + 3];
            }
            if (start == null) {
                return new Crossings(null, new double[0]);
            }
            double[] values = new double[total];
            int[] next = new int[k + 1];
            for (int j = 0; j < slots.length; j++) {
                int slot = slots[j];
                if ((slot & 1) == 0 && start[slot >> 1] >= 0) {
                    int g = slot >> 1;
                    values[start[g] + next[g]++] = other[j];
                }
            }
            for (int g = 0; g <= k; g++) {
                if (start[g] >= 0) {
                    Arrays.sort(values, start[g], start[g] + counts[2 * g]);
                }
            }
            return new Crossings(start, values);
        }
    }

    /** Population standard deviation, two passes. */
    static double std(double[] x) {
        Sum s = new Sum();
        for (double v : x) {
            s.add(v);
        }
        double mean = s.value() / x.length;
        Sum sq = new Sum();
        for (double v : x) {
            double d = v - mean;
            sq.add(d * d);
        }
        return Math.sqrt(sq.value() / x.length);
    }

    /** Neumaier's compensated sum, as close to the exact sum as NumPy's pairwise one or closer. */
    static final class Sum {
        private double sum;
        private double compensation;

        void add(double x) {
            double t = sum + x;
            if (Math.abs(sum) >= Math.abs(x)) {
                compensation += (sum - t) + x;
            } else {
                compensation += (x - t) + sum;
            }
            sum = t;
        }

        double value() {
            return sum + compensation;
        }
    }
}
