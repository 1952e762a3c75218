package dev.quiver.rollout;

import org.HdrHistogram.Histogram;

/**
 * What one arm of a rollout did during the current step: requests, errors, latency percentiles (HdrHistogram,
 * 3 significant digits, 1 µs to 1 min) and the mean of its positive-class score. Thread-safe.
 */
final class ArmWindow {

    private final Histogram latency = new Histogram(1_000L, 60_000_000_000L, 3);
    private long requests;
    private long errors;
    private double scoreSum;
    private long scored;

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
