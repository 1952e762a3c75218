package dev.quiver.rollout;

/**
 * How closely a shadow challenger agrees with the champion on the same requests: the share of rows where both
 * predict the same label, and the mean absolute difference of their class probabilities. Thread-safe; the
 * challenger's answers are recorded here and never returned to callers.
 */
public final class ShadowAgreement {

    private long rows;
    private long sameLabel;
    private double absDiffSum;
    private long failures;

    /**
     * Records one row answered by both.
     *
     * @param champion   the champion's class probabilities, in the model's class order
     * @param challenger the challenger's, in the same order
     */
    public synchronized void record(String championLabel, double[] champion, String challengerLabel, double[] challenger) {
        if (champion.length != challenger.length || champion.length == 0) {
            throw new IllegalArgumentException("both must give the same classes, had " + champion.length + " and "
                    + challenger.length);
        }
        rows++;
        if (championLabel.equals(challengerLabel)) {
            sameLabel++;
        }
        double d = 0;
        for (int c = 0; c < champion.length; c++) {
            d += Math.abs(champion[c] - challenger[c]);
        }
        absDiffSum += d / champion.length;
    }

    /** Records a shadow call that failed (counted, never surfaced to the caller). */
    public synchronized void recordFailure() {
        failures++;
    }

    /** What was recorded so far. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(rows, rows == 0 ? Double.NaN : (double) sameLabel / rows,
                rows == 0 ? Double.NaN : absDiffSum / rows, failures);
    }

    /**
     * @param rows                   rows both answered
     * @param labelAgreement         the share of those with the same label
     * @param meanAbsProbabilityDiff the mean, over rows, of the mean absolute difference across classes
     * @param failures               shadow calls that failed
     */
    public record Snapshot(long rows, double labelAgreement, double meanAbsProbabilityDiff, long failures) {
    }
}
