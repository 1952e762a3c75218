package dev.quiver.rollout;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The two-proportion z-test an A/B test decides with: arm B (the challenger) against arm A (the champion), on a
 * proportion such as accuracy or conversion.
 *
 * <p>The p-value is two-sided, from the pooled standard error; the confidence interval of the difference
 * {@code pB - pA} uses the unpooled standard error, as is usual for reporting. The minimum detectable effect is
 * the smallest absolute difference that a test of these sample sizes finds with the given power at the given
 * significance, around the pooled proportion.
 *
 * @param nA         samples of arm A
 * @param pA         its proportion
 * @param nB         samples of arm B
 * @param pB         its proportion
 * @param difference {@code pB - pA}
 * @param ciLow      the lower end of the confidence interval of the difference
 * @param ciHigh     the upper end
 * @param z          the test statistic
 * @param pValue     two-sided
 * @param minimumDetectableEffect the smallest absolute difference these sample sizes detect
 * @param significant whether {@code pValue < alpha}
 */
public record ProportionTest(long nA, double pA, long nB, double pB, double difference, double ciLow, double ciHigh,
                             double z, double pValue, double minimumDetectableEffect, boolean significant) {

    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    /**
     * Compares {@code successesB / nB} with {@code successesA / nA}.
     *
     * @param alpha significance level, such as 0.05 (the interval is then 95%)
     * @param power the power the minimum detectable effect is stated for, such as 0.8
     */
    public static ProportionTest compare(long nA, long successesA, long nB, long successesB, double alpha, double power) {
        if (nA < 1 || nB < 1) {
            throw new IllegalArgumentException("each arm needs at least one sample, had " + nA + " and " + nB);
        }
        if (successesA < 0 || successesA > nA || successesB < 0 || successesB > nB) {
            throw new IllegalArgumentException("successes must be between 0 and the arm's samples");
        }
        if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1)) {
            throw new IllegalArgumentException("alpha and power must be in (0, 1)");
        }
        double pA = (double) successesA / nA;
        double pB = (double) successesB / nB;
        double diff = pB - pA;
        double pooled = (double) (successesA + successesB) / (nA + nB);
        double pooledSe = Math.sqrt(pooled * (1 - pooled) * (1.0 / nA + 1.0 / nB));
        double z = pooledSe == 0 ? 0 : diff / pooledSe;
        double pValue = pooledSe == 0 ? 1 : 2 * NORMAL.cumulativeProbability(-Math.abs(z));
        double zAlpha = NORMAL.inverseCumulativeProbability(1 - alpha / 2);
        double se = Math.sqrt(pA * (1 - pA) / nA + pB * (1 - pB) / nB);
        double mde = (zAlpha + NORMAL.inverseCumulativeProbability(power)) * pooledSe;
        return new ProportionTest(nA, pA, nB, pB, diff, diff - zAlpha * se, diff + zAlpha * se, z, pValue, mde,
                pValue < alpha);
    }
}
