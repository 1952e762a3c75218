package dev.quiver.drift;

/**
 * One column's drift: which test ran, what it found, and the verdict.
 *
 * @param name      the column
 * @param type      how its values were compared
 * @param test      the test that ran
 * @param statistic the test's statistic: D for KS, chi&sup2;, z, the normed Wasserstein distance, the Jensen-Shannon
 *                  distance, the PSI
 * @param pValue    the p-value for KS, chi-square and z; null for the distances
 * @param threshold the threshold the verdict used
 * @param drifted   the verdict: p-value below the threshold (KS: at or below), or distance at or above it
 * @param note      when the samples are smaller than the test needs for its number to be trusted, what is missing
 *                  (see {@link SampleSize}); the statistic is still the one SciPy and Evidently compute. Null when
 *                  the samples suffice
 */
public record ColumnDrift(String name, ColumnType type, StatTest test, double statistic, Double pValue,
                          double threshold, boolean drifted,
                          @com.fasterxml.jackson.annotation.JsonInclude(
                                  com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String note) {

    /** What Evidently reports as the drift score: the p-value where there is one, else the statistic. */
    public double score() {
        return pValue != null ? pValue : statistic;
    }
}
