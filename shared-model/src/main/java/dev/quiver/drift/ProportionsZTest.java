package dev.quiver.drift;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The two-sided z-test for two proportions with the pooled standard error, as Evidently's {@code z} test computes
 * it: its default for columns with at most 1,000 reference rows and at most two distinct values.
 *
 * <p>The proportion compared is the share of rows that are not the first category in sorted order (so with more
 * than two categories, every other category counts as one); z = (p_ref - p_cur) / sqrt(P (1 - P) (1/n_ref +
 * 1/n_cur)) with P the pooled share, and p = 2 (1 - &Phi;(|z|)). When both samples hold one and the same single
 * category, z is 0 and the p-value 1.
 *
 * @param z      the statistic; positive when the reference has the larger share of the other category
 * @param pValue two-sided
 */
public record ProportionsZTest(double z, double pValue) {

    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    public static ProportionsZTest test(CategoryCounts counts) {
        if (counts.size() == 1) {
            return new ProportionsZTest(0.0, 1.0);
        }
        long n1 = counts.referenceSize();
        long n2 = counts.currentSize();
        // rows that are not the first category
        double p1 = (double) (n1 - counts.reference()[0]) / n1;
        double p2 = (double) (n2 - counts.current()[0]) / n2;
        double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
        double z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        double p = 2 * (1 - NORMAL.cumulativeProbability(Math.abs(z)));
        return new ProportionsZTest(z, p);
    }
}
