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

    public ShadowAgreement() {
    }

    /** Continues from a saved snapshot. */
    public ShadowAgreement(Snapshot s) {
        rows = s.rows();
        sameLabel = s.sameLabel();
        absDiffSum = s.absDiffSum();
        failures = s.failures();
    }

    /** What was recorded so far. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(rows, sameLabel, absDiffSum, failures);
    }

    /**
     * The sums agreement is computed from, so that several instances' snapshots add up.
     *
     * @param rows       rows both answered
     * @param sameLabel  rows where both predicted the same label
     * @param absDiffSum the sum, over rows, of the mean absolute difference across classes
     * @param failures   shadow calls that failed
     */
    public record Snapshot(long rows, long sameLabel, double absDiffSum, long failures) {

        public static final Snapshot ZERO = new Snapshot(0, 0, 0, 0);

        public Snapshot plus(Snapshot o) {
            return new Snapshot(rows + o.rows, sameLabel + o.sameLabel, absDiffSum + o.absDiffSum, failures + o.failures);
        }

        /** The share of rows with the same label; NaN before any row. */
        public double labelAgreement() {
            return rows == 0 ? Double.NaN : (double) sameLabel / rows;
        }

        /** The mean, over rows, of the mean absolute probability difference across classes; NaN before any row. */
        public double meanAbsProbabilityDiff() {
            return rows == 0 ? Double.NaN : absDiffSum / rows;
        }
    }
}
