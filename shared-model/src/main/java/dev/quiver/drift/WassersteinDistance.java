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

    /** Sum over consecutive values of both samples of |F_ref - F_cur| times the gap to the next value. */
    static double distance(double[] u, double[] v) {
        double[] a = u.clone();
        double[] b = v.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        double[] all = new double[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        Arrays.sort(all);
        Sum sum = new Sum();
        int i = 0;
        int j = 0;
        for (int k = 0; k < all.length - 1; k++) {
            double x = all[k];
            while (i < a.length && a[i] <= x) {
                i++;
            }
            while (j < b.length && b[j] <= x) {
                j++;
            }
            double cdfA = (double) i / a.length;
            double cdfB = (double) j / b.length;
            sum.add(Math.abs(cdfA - cdfB) * (all[k + 1] - x));
        }
        return sum.value();
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
