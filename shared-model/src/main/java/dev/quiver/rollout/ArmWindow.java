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
    public record Snapshot(long requests, long errors, double scoreSum, long scored, byte[] latency, byte[] scores) {
    }

    private final Histogram latency;
    /** The positive-class scores, for the prediction-drift gate (KLL, mergeable). */
    private final org.apache.datasketches.kll.KllDoublesSketch scores;
    private long requests;
    private long errors;
    private double scoreSum;
    private long scored;

    ArmWindow() {
        this.latency = new Histogram(1_000L, 60_000_000_000L, 3);
        this.scores = org.apache.datasketches.kll.KllDoublesSketch.newHeapInstance(200);
    }

    ArmWindow(Snapshot s) {
        this.latency = decode(s);
        this.scores = s.scores() == null ? org.apache.datasketches.kll.KllDoublesSketch.newHeapInstance(200)
                : org.apache.datasketches.kll.KllDoublesSketch.heapify(org.apache.datasketches.memory.Memory.wrap(s.scores()));
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
            if (s.scores() != null) {
                w.scores.merge(org.apache.datasketches.kll.KllDoublesSketch.heapify(
                        org.apache.datasketches.memory.Memory.wrap(s.scores())));
            }
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
        return new Snapshot(requests, errors, scoreSum, scored, java.util.Arrays.copyOf(buf.array(), n),
                scores.toByteArray());
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
                scores.update(score);
            }
        }
    }

    synchronized long scored() {
        return scored;
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

    /**
     * The Jensen-Shannon distance between this arm's scores and {@code other}'s, over 20 equal bins of [0, 1]
     * (Evidently's distance for prediction drift; natural logarithm); NaN when either has no score.
     */
    synchronized double scoreDrift(ArmWindow other) {
        if (scores.isEmpty() || other.scores.isEmpty()) {
            return Double.NaN;
        }
        double[] a = dev.quiver.drift.SketchDrift.binShares(scores, SCORE_EDGES);
        double[] b = dev.quiver.drift.SketchDrift.binShares(other.scores, SCORE_EDGES);
        return dev.quiver.drift.JensenShannonDistance.test(new dev.quiver.drift.Binning(a, b)).distance();
    }

    /** 20 equal bins of [0, 1]. */
    private static final double[] SCORE_EDGES = java.util.stream.IntStream.rangeClosed(0, 20)
            .mapToDouble(i -> i / 20.0).toArray();

    /** The mean positive-class score; NaN before any scored request. */
    synchronized double meanScore() {
        return scored == 0 ? Double.NaN : scoreSum / scored;
    }
}
