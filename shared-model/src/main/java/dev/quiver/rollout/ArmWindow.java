package dev.quiver.rollout;

import org.HdrHistogram.Histogram;

/**
 * What one arm of a rollout did during the current step: requests, errors, latency percentiles (HdrHistogram,
 * 3 significant digits, 1 µs to 1 min) and the mean of its positive-class score. Thread-safe.
 */
public final class ArmWindow {

    /**
     * What an arm's window holds, for saving and restoring a rollout.
     *
     * @param latency the latency histogram, HdrHistogram's compressed encoding
     */
    public record Snapshot(long requests, long errors, double scoreSum, long scored, byte[] latency) {
    }

    private final Histogram latency;
    private long requests;
    private long errors;
    private double scoreSum;
    private long scored;

    ArmWindow() {
        this.latency = new Histogram(1_000L, 60_000_000_000L, 3);
    }

    ArmWindow(Snapshot s) {
        this.latency = decode(s);
        this.requests = s.requests();
        this.errors = s.errors();
        this.scoreSum = s.scoreSum();
        this.scored = s.scored();
    }

    /** One window holding everything several instances recorded (counts add, histograms merge). */
    static ArmWindow merged(java.util.List<Snapshot> snapshots) {
        ArmWindow w = new ArmWindow();
        for (Snapshot s : snapshots) {
            w.latency.add(decode(s));
            w.requests += s.requests();
            w.errors += s.errors();
            w.scoreSum += s.scoreSum();
            w.scored += s.scored();
        }
        return w;
    }

    private static Histogram decode(Snapshot s) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(java.nio.ByteBuffer.wrap(s.latency()), 1_000L);
        } catch (java.util.zip.DataFormatException e) {
            throw new IllegalArgumentException("a saved latency histogram does not decode", e);
        }
    }

    synchronized Snapshot snapshot() {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
        int n = latency.encodeIntoCompressedByteBuffer(buf);
        return new Snapshot(requests, errors, scoreSum, scored, java.util.Arrays.copyOf(buf.array(), n));
    }

    synchronized void record(long latencyNanos, boolean error, double score) {
        requests++;
        if (error) {
            errors++;
        } else {
            latency.recordValue(Math.max(1_000L, Math.min(latencyNanos, 60_000_000_000L)));
            if (!Double.isNaN(score)) {
                scoreSum += score;
                scored++;
            }
        }
    }

    synchronized long requests() {
        return requests;
    }

    synchronized long errors() {
        return errors;
    }

    synchronized double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    /** The p99 latency in nanoseconds; 0 before any successful request. */
    synchronized long p99() {
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99);
    }

    /** The mean positive-class score; NaN before any scored request. */
    synchronized double meanScore() {
        return scored == 0 ? Double.NaN : scoreSum / scored;
    }
}
