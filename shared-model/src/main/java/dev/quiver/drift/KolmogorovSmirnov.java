package dev.quiver.drift;

import java.util.Arrays;

/**
 * The two-sample Kolmogorov-Smirnov test, two-sided, as {@code scipy.stats.ks_2samp(reference, current)} computes it
 * with its default {@code method='auto'}; Evidently's {@code ks} test, its default for numerical columns with at most
 * 1,000 reference rows (and more than five distinct values).
 *
 * <p>The statistic is the largest distance between the two empirical distribution functions. The p-value is exact
 * when neither sample has more than 10,000 values: the share of lattice paths that leave the band the statistic
 * allows, by the formula for equal sizes or by Hodges' inside method in Viehmann's form for 1 - p otherwise; in that
 * case the statistic is rounded to the nearest multiple of 1/lcm(n, m), as SciPy does. With a larger sample, or if
 * the exact computation fails, the p-value is the one-sample Kolmogorov distribution's survival function at the
 * statistic for n = round(nm / (n + m)) ({@code scipy.stats.kstwo.sf}, see {@link KolmogorovDistribution}).
 *
 * @param statistic the largest distance between the empirical distribution functions, in [0, 1]
 * @param pValue    two-sided, in [0, 1]
 * @param method    how the p-value was computed
 */
public record KolmogorovSmirnov(double statistic, double pValue, Method method) {

    /** How the p-value was computed. */
    public enum Method {
        /** The exact distribution under the null hypothesis. */
        EXACT,
        /** The one-sample Kolmogorov distribution at the effective sample size. */
        ASYMPTOTIC
    }

    /** SciPy's {@code MAX_AUTO_N}: larger samples go to the asymptotic distribution. */
    static final int MAX_EXACT_N = 10_000;

    /** Tests two non-empty samples of finite numbers (checked by the caller). */
    public static KolmogorovSmirnov test(double[] reference, double[] current) {
        int n1 = reference.length;
        int n2 = current.length;
        if (n1 == 0 || n2 == 0) {
            throw new IllegalArgumentException("both samples need values");
        }
        double d = statistic(reference, current);
        if (Math.max(n1, n2) <= MAX_EXACT_N) {
            int g = gcd(n1, n2);
            long lcm = (long) (n1 / g) * n2;
            long h = (long) Math.rint(d * lcm);
            d = h * 1.0 / lcm;
            if (h == 0) {
                return new KolmogorovSmirnov(d, 1.0, Method.EXACT);
            }
            double p = n1 == n2 ? probabilityOutsideSquare(n1, h) : probabilityOutsideBand(n1, n2, g, h);
            if (p >= 0 && p <= 1) {
                return new KolmogorovSmirnov(d, p, Method.EXACT);
            }
        }
        double m = Math.max(n1, n2);
        double n = Math.min(n1, n2);
        double en = m * n / (m + n);
        double p = KolmogorovDistribution.sf((int) Math.rint(en), d);
        return new KolmogorovSmirnov(d, Math.min(1, Math.max(0, p)), Method.ASYMPTOTIC);
    }

    /**
     * sup |F1 - F2| over every value of either sample. The smaller sample is sorted and the larger only counted
     * between its distinct values: within such a gap one distribution function is flat and the other rises, so the
     * difference is largest at the gap's left end (a distinct value, counts at most it) and smallest at the last
     * value of the larger sample before the gap's right end (counts below that end). Those are differences the
     * merge of both sorted samples also takes, computed by the same expression, so the supremum is the same double;
     * the differences in between lie between them and cannot exceed them, division and subtraction being monotone
     * in rounding.
     */
    static double statistic(double[] a, double[] b) {
        boolean swap = b.length < a.length;
        SortedSample s = SortedSample.of(swap ? b : a);
        int[] counts = s.counts(swap ? a : b);
        int n1 = s.size;
        int n2 = swap ? a.length : b.length;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        long cum = 0;
        int below = 0;
        for (int i = 0; i < s.distinct; i++) {
            int between = counts[2 * i];
            if (between > 0) {
                cum += between;
                double diff = (double) below / n1 - (double) cum / n2;
                max = Math.max(max, diff);
                min = Math.min(min, diff);
            }
            cum += counts[2 * i + 1];
            below = s.atMost[i];
            double diff = (double) below / n1 - (double) cum / n2;
            max = Math.max(max, diff);
            min = Math.min(min, diff);
        }
        // past both samples' largest value both functions are 1: the difference 0, which the merge takes last
        max = Math.max(max, 0.0);
        min = Math.min(min, 0.0);
        // swapping the samples negates every difference, which swaps max and -min: the supremum is symmetric
        double minS = Math.min(1, Math.max(0, -min));
        return minS > max ? minS : max;
    }

    /**
     * P(D &ge; h/n) for two samples of n each: 2 (A0 - A0 A1 + A0 A1 A2 - ...), each term a ratio of binomial
     * coefficients, evaluated Horner-like from the innermost term to avoid cancellation.
     */
    static double probabilityOutsideSquare(int n, long h) {
        double p = 0.0;
        long k = n / h;
        while (k >= 0) {
            double term = 1.0;
            for (long j = 0; j < h; j++) {
                term = (n - k * h - j) * term / (n + k * h + j + 1);
            }
            p = term * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /**
     * P(D &ge; h/lcm) for samples of m and n: one minus the share of monotone lattice paths from (0, 0) to (m, n)
     * that stay strictly inside |x/m - y/n| &lt; h/lcm(m, n), computed column by column over a sliding window as a
     * recursion on 1 - p (Hodges 1958; Viehmann 2021, arXiv:2102.08037), as SciPy does.
     */
    static double probabilityOutsideBand(int m0, int n0, int g, long h) {
        int m = Math.max(m0, n0);
        int n = Math.min(m0, n0);
        long mg = m / g;
        long ng = n / g;
        int minj = 0;
        int maxj = (int) Math.min(ceilDiv(h, mg), n + 1);
        int curlen = maxj - minj;
        int lenA = Math.min(2 * maxj + 2, n + 1);
        double[] a = new double[lenA];
        Arrays.fill(a, 1.0);
        Arrays.fill(a, minj, maxj, 0.0);
        for (int i = 1; i <= m; i++) {
            int lastminj = minj;
            int lastlen = curlen;
            minj = (int) Math.min(Math.max(Math.floorDiv(ng * i - h, mg) + 1, 0), n);
            maxj = (int) Math.min(ceilDiv(ng * i + h, mg), n + 1);
            if (maxj <= minj) {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (int jj = 0; jj < maxj - minj; jj++) {
                int j = jj + minj;
                val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen) {
                // a slice, so clipped to the array as NumPy clips it
                Arrays.fill(a, maxj - minj, Math.min(maxj - minj + (lastlen - curlen), lenA), 1.0);
            }
        }
        return a[maxj - minj - 1];
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
