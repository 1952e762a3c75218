package dev.quiver.drift;

import org.apache.commons.math3.special.Gamma;

/**
 * The survival function of the two-sided one-sample Kolmogorov-Smirnov statistic D_n, P(D_n &gt; x), as
 * {@code scipy.stats.kstwo.sf(x, n)} computes it: the choice of method by n and n x&sup2; of Simard and L'Ecuyer
 * (2011), "Computing the two-sided Kolmogorov-Smirnov distribution", J. Stat. Software 39(11).
 *
 * <ul>
 *   <li>closed forms of Ruben and Gambino for n x &le; 1 and n x &ge; n - 1;</li>
 *   <li>twice the one-sided Smirnov tail (Birnbaum-Tingey's exact sum) for x &ge; 0.5 and wherever that tail is
 *       accurate (n x&sup2; &gt; 4 for n &le; 140, n x&sup2; &ge; 2.2 above), zero for n x&sup2; &ge; 370 above 140;</li>
 *   <li>the Durbin matrix in Marsaglia, Tsang and Wang's form (2003) for small n x&sup2;; SciPy uses Pomeranz's
 *       recursion for 0.754693 &lt; n x&sup2; &le; 4 with n &le; 140, where the Durbin matrix is exact as well (they
 *       agree within 2e-14 there);</li>
 *   <li>the Pelz-Good expansion (1976) elsewhere for n &gt; 140.</li>
 * </ul>
 *
 * <p>Only the two-sample test's asymptotic path needs it: one sample above 10,000 values.
 */
final class KolmogorovDistribution {

    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
    private static final double PI2 = Math.PI * Math.PI;
    private static final double PI4 = PI2 * PI2;
    private static final double PI6 = PI4 * PI2;
    private static final double SQRT3 = Math.sqrt(3);
    private static final int SCALE_EXPONENT = 128;
    private static final double SCALE = Math.scalb(1.0, SCALE_EXPONENT);
    private static final double UNSCALE = Math.scalb(1.0, -SCALE_EXPONENT);
    /** Stirling series coefficients B_2j / (2j (2j - 1)), j = 8 down to 1. */
    private static final double[] STIRLING = {-2.955065359477124183e-2, 6.4102564102564102564e-3,
        -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
        -2.7777777777777777778e-3, 8.3333333333333333333e-2};

    private KolmogorovDistribution() {
    }

    /** P(D_n &gt; x), clipped to [0, 1]. */
    static double sf(int n, double x) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive, was " + n);
        }
        if (x >= 1.0) {
            return 0.0;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        double t = n * x;
        if (t <= 1.0) {
            if (t <= 0.5) {
                return 1.0;
            }
            double cdf;
            if (n <= 140) {
                cdf = 1.0;
                for (int i = 1; i <= n; i++) {
                    cdf *= i * (1.0 / n) * (2 * t - 1);
                }
            } else {
                cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
            }
            return clip(1.0 - cdf);
        }
        if (t >= n - 1) {
            return clip(2 * Math.pow(1.0 - x, n));
        }
        if (x >= 0.5) {
            return clip(2 * smirnovSf(n, x));
        }
        double nxSquared = t * x;
        if (n <= 140) {
            if (nxSquared <= 4) {
                return clip(1.0 - durbin(n, x));
            }
            return clip(2 * smirnovSf(n, x));
        }
        if (nxSquared >= 370.0) {
            return 0.0;
        }
        if (nxSquared >= 2.2) {
            return clip(2 * smirnovSf(n, x));
        }
        double cdf = n <= 100_000 && n * Math.pow(x, 1.5) <= 1.4 ? durbin(n, x) : pelzGood(n, x);
        return clip(1.0 - cdf);
    }

    /** log(n! / n^n) by Stirling's series, with n log n taken out first. */
    private static double logFactorialOverPower(int n) {
        double rn = 1.0 / n;
        double poly = 0;
        double y = rn / n;
        for (double c : STIRLING) {
            poly = poly * y + c;
        }
        return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
    }

    /**
     * P(D_n^+ &ge; x), the one-sided Smirnov tail: x times the sum over v = 0 .. floor(n (1 - x)) of
     * C(n, v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v) (Birnbaum and Tingey 1951), every term positive, summed in logs.
     */
    static double smirnovSf(int n, double x) {
        if (x <= 0) {
            return 1.0;
        }
        if (x >= 1) {
            return 0.0;
        }
        int last = (int) Math.floor(n * (1.0 - x));
        double logNFactorial = Gamma.logGamma(n + 1.0);
        double sum = 0;
        for (int v = 0; v <= last; v++) {
            double evn = x + (double) v / n;
            double omevn = 1.0 - evn;
            if (omevn <= 0) {
                continue;
            }
            double logTerm = logNFactorial - Gamma.logGamma(v + 1.0) - Gamma.logGamma(n - v + 1.0)
                    + (v - 1) * Math.log(evn) + (n - v) * Math.log(omevn);
            sum += Math.exp(logTerm);
        }
        return sum * x;
    }

    /**
     * P(D_n &lt; x) by the Durbin matrix: with x = (k - h)/n, the (k, k) entry of H^n times n!/n^n, H of size
     * 2k - 1; H is squared with its scale kept apart in a power of two so that n in the thousands neither
     * overflows nor underflows (Marsaglia, Tsang and Wang 2003).
     */
    static double durbin(int n, double x) {
        if (x >= 1.0) {
            return 1.0;
        }
        double nd = n * x;
        if (nd <= 0.5) {
            return 0.0;
        }
        int k = (int) Math.ceil(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        double[] v = new double[m];
        double[] w = new double[m];
        double fac = 1.0;
        for (int j = 1; j <= m; j++) {
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] = (1.0 - Math.pow(h, j)) * fac;
        }
        double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;
        double[][] hm = new double[m][m];
        for (int i = 1; i < m; i++) {
            for (int r = i - 1; r < m; r++) {
                hm[r][i] = w[r - i + 1];
            }
        }
        for (int r = 0; r < m; r++) {
            hm[r][0] = v[r];
        }
        for (int c = 0; c < m; c++) {
            hm[m - 1][c] = v[m - 1 - c];
        }
        double[][] power = identity(m);
        int exponent = 0;
        int hExponent = 0;
        int nn = n;
        while (nn > 0) {
            if (nn % 2 == 1) {
                power = multiply(power, hm);
                exponent += hExponent;
            }
            hm = multiply(hm, hm);
            hExponent *= 2;
            if (Math.abs(hm[k - 1][k - 1]) > SCALE) {
                scale(hm, UNSCALE);
                hExponent += SCALE_EXPONENT;
            }
            nn /= 2;
        }
        double p = power[k - 1][k - 1];
        for (int i = 1; i <= n; i++) {
            p = i * p / n;
            if (Math.abs(p) < UNSCALE) {
                p *= SCALE;
                exponent -= SCALE_EXPONENT;
            }
        }
        if (exponent != 0) {
            p = Math.scalb(p, exponent);
        }
        return clip(p);
    }

    /** The Pelz-Good approximation of P(D_n &le; x): Li-Chien and Korolyuk's expansion in 1/sqrt(n) in theta form. */
    static double pelzGood(int n, double x) {
        if (x <= 0.0) {
            return 0.0;
        }
        if (x >= 1.0) {
            return 1.0;
        }
        double z = Math.sqrt(n) * x;
        double z2 = z * z;
        double z3 = z2 * z;
        double z4 = z2 * z2;
        double z6 = z4 * z2;
        double qlog = -PI2 / 8 / z2;
        if (qlog < -708) {
            return 0.0;
        }
        double q = Math.exp(qlog);
        double k1a = -z2;
        double k1b = PI2 / 4;
        double k2a = 6 * z6 + 2 * z4;
        double k2b = (2 * z4 - 5 * z2) * PI2 / 4;
        double k2c = PI4 * (1 - 2 * z2) / 16;
        double k3d = PI6 * (5 - 30 * z2) / 64;
        double k3c = PI4 * (-60 * z2 + 212 * z4) / 16;
        double k3b = PI2 * (135 * z4 - 96 * z6) / 4;
        double k3a = -30 * z6 - 90 * Math.pow(z, 8);
        double[] k = new double[4];
        int maxk = (int) Math.ceil(16 * z / Math.PI);
        // Horner over the odd terms: sum of c_i q^(i^2), i = 2k - 1
        for (int kk = maxk; kk > 0; kk--) {
            double odd = 2 * kk - 1;
            double odd2 = odd * odd;
            double odd4 = odd2 * odd2;
            double odd6 = odd4 * odd2;
            double qpower = Math.pow(q, 8 * kk);
            double[] c = {1.0, k1a + k1b * odd2, k2a + k2b * odd2 + k2c * odd4,
                k3a + k3b * odd2 + k3c * odd4 + k3d * odd6};
            for (int i = 0; i < 4; i++) {
                k[i] = k[i] * qpower + c[i];
            }
        }
        double[] divisors = {z, 6 * z4, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
        for (int i = 0; i < 4; i++) {
            k[i] = k[i] * q * SQRT_2PI / divisors[i];
        }
        // the terms over all integers for K2 and K3
        double q2 = Math.exp(-PI2 / 2 / z2);
        double sqrt3z = SQRT3 * z;
        double k2extra = 0;
        double k3extra = 0;
        for (int kk = maxk; kk > 0; kk--) {
            double ks2 = (double) kk * kk;
            double qpow = Math.pow(q2, ks2);
            double kspi = Math.PI * kk;
            k2extra += ks2 * qpow;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qpow;
        }
        k[2] += k2extra * (PI2 * SQRT_2PI / (-36 * z3));
        k[3] += k3extra * (PI2 * SQRT_2PI / (216 * z6));
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += k[i] / Math.pow(n, i / 2.0);
        }
        return sum;
    }

    private static double[][] identity(int m) {
        double[][] id = new double[m][m];
        for (int i = 0; i < m; i++) {
            id[i][i] = 1.0;
        }
        return id;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int m = a.length;
        double[][] c = new double[m][m];
        for (int i = 0; i < m; i++) {
            double[] ci = c[i];
            for (int l = 0; l < m; l++) {
                double ail = a[i][l];
                if (ail == 0) {
                    continue;
                }
                double[] bl = b[l];
                for (int j = 0; j < m; j++) {
                    ci[j] += ail * bl[j];
                }
            }
        }
        return c;
    }

    private static void scale(double[][] a, double factor) {
        for (double[] row : a) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= factor;
            }
        }
    }

    private static double clip(double p) {
        return Math.min(1.0, Math.max(0.0, p));
    }
}
