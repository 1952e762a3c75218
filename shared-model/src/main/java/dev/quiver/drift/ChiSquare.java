package dev.quiver.drift;

import org.apache.commons.math3.special.Gamma;

/**
 * Pearson's chi-square goodness-of-fit test of the current counts against the reference's shares:
 * {@code scipy.stats.chisquare(f_obs, f_exp)} with f_obs the current count of each category and f_exp the
 * reference count times current rows / reference rows. Evidently's {@code chisquare} test, its default for
 * categorical columns (and numerical ones with 3 to 5 distinct values) with at most 1,000 reference rows and more
 * than two categories.
 *
 * <p>A category the reference lacks but the current sample has makes the statistic infinite and the p-value 0, as
 * in SciPy. With a single category SciPy's p-value is undefined (NaN); here it is 1, since both samples then agree.
 *
 * @param statistic        the sum of (observed - expected)&sup2; / expected
 * @param pValue           P(chi&sup2; with {@code degreesOfFreedom} &ge; statistic)
 * @param degreesOfFreedom categories - 1
 */
public record ChiSquare(double statistic, double pValue, int degreesOfFreedom) {

    public static ChiSquare test(CategoryCounts counts) {
        double norm = (double) counts.currentSize() / counts.referenceSize();
        double statistic = 0;
        for (int i = 0; i < counts.size(); i++) {
            double expected = counts.reference()[i] * norm;
            double observed = counts.current()[i];
            double diff = observed - expected;
            statistic += diff * diff / expected;
        }
        int df = counts.size() - 1;
        if (df == 0) {
            return new ChiSquare(statistic, 1.0, 0);
        }
        double p = Double.isInfinite(statistic) ? 0.0 : Gamma.regularizedGammaQ(df / 2.0, statistic / 2.0);
        return new ChiSquare(statistic, p, df);
    }
}
