package dev.quiver.drift;

/**
 * The Jensen-Shannon distance between the binned shares of the two samples ({@link Binning}, without filling empty
 * bins), {@code scipy.spatial.distance.jensenshannon(reference, current)} with the natural logarithm: the square root
 * of the mean Kullback-Leibler divergence of each from their average, between 0 and sqrt(ln 2) &asymp; 0.833.
 * Evidently's {@code jensenshannon} test, its default for categorical columns (and numerical ones with at most five
 * distinct values) with more than 1,000 reference rows; drift when the distance is at least 0.1. Evidently passes no
 * logarithm base, so SciPy's natural one applies (its maintainers kept base e when a base parameter was added, so
 * that existing thresholds stay valid).
 *
 * @param distance the Jensen-Shannon distance
 * @param bins     the number of bins compared
 */
public record JensenShannonDistance(double distance, int bins) {

    public static JensenShannonDistance test(Binning binning) {
        double[] p = normalised(binning.reference());
        double[] q = normalised(binning.current());
        double left = 0;
        double right = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2.0;
            left += relativeEntropy(p[i], m);
            right += relativeEntropy(q[i], m);
        }
        return new JensenShannonDistance(Math.sqrt((left + right) / 2.0), p.length);
    }

    /** {@code scipy.special.rel_entr}. */
    private static double relativeEntropy(double x, double y) {
        if (x > 0 && y > 0) {
            return x * Math.log(x / y);
        }
        return x == 0 && y >= 0 ? 0 : Double.POSITIVE_INFINITY;
    }

    private static double[] normalised(double[] shares) {
        double sum = 0;
        for (double s : shares) {
            sum += s;
        }
        double[] out = new double[shares.length];
        for (int i = 0; i < shares.length; i++) {
            out[i] = shares[i] / sum;
        }
        return out;
    }
}
