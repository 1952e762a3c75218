package dev.quiver.drift;

import java.util.SplittableRandom;

/** Named samples for the tests of the drift statistics' algorithms. */
final class Samples {

    private Samples() {
    }

    /** Standard normal values plus {@code shift}. */
    static double[] normal(SplittableRandom rnd, int n, double shift) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = shift + rnd.nextGaussian();
        }
        return x;
    }

    /** Integers 0 to {@code levels - 1}: nearly every value tied. */
    static double[] ties(SplittableRandom rnd, int n, int levels) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextInt(levels);
        }
        return x;
    }

    /** Values around 0 with -0.0 and 0.0 both common, which compare equal. */
    static double[] signedZeros(SplittableRandom rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            int r = rnd.nextInt(4);
            x[i] = r == 0 ? -0.0 : r == 1 ? 0.0 : rnd.nextInt(-2, 3) * 0.5;
        }
        return x;
    }

    /** Log-normal values with a few far outliers: most buckets of an equal-width index empty, a few crowded. */
    static double[] skewed(SplittableRandom rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.exp(3 * rnd.nextGaussian()) * (rnd.nextInt(1000) == 0 ? 1e12 : 1);
        }
        return x;
    }

    /** Values spread over almost the whole range of doubles, so that max - min overflows. */
    static double[] huge(SplittableRandom rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (rnd.nextDouble() * 2 - 1) * Double.MAX_VALUE;
        }
        return x;
    }

    /** Values a few ulps apart around 1, so that the range is tiny. */
    static double[] ulps(SplittableRandom rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1 + rnd.nextInt(20) * Math.ulp(1.0);
        }
        return x;
    }
}
