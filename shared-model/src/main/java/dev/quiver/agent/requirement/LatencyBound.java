package dev.quiver.agent.requirement;

import dev.quiver.error.Check;

import java.time.Duration;

/**
 * A latency requirement: the given percentile of request latencies must be at most {@link #bound}.
 *
 * <p>"&lt; 100ms" and "&lt;= 100ms" read alike, as "at most 100 ms": measured latencies are continuous, so the
 * difference between a strict and an inclusive bound is never observable in a benchmark.
 *
 * @param percentile the percentile the bound holds for, in (0, 100]: 99 for p99, 50 for the median
 * @param bound      the longest latency allowed at that percentile; positive
 */
public record LatencyBound(double percentile, Duration bound) {

    /**
     * The percentile a requirement that names none is read at: p99. A bound on the mean or the median would let
     * the slow tail that callers actually notice grow unchecked, and p99 is the percentile serving SLAs (and the
     * team's own figures) are stated at.
     */
    public static final double DEFAULT_PERCENTILE = 99.0;

    /**
     * What "real-time" means as a number: p99 at most 10 ms. A real-time read sits on the request path of an
     * online prediction whose own budget is typically 50 to 100 ms end to end; 10 ms leaves the model most of
     * it, and is the order of an online feature store's single-key read (a Redis round trip on the same network
     * is well under a millisecond, so 10 ms is a bound a healthy store meets with room to spare).
     */
    public static final LatencyBound REAL_TIME = new LatencyBound(DEFAULT_PERCENTILE, Duration.ofMillis(10));

    public LatencyBound {
        Check.that(percentile > 0 && percentile <= 100, "percentile", "must be in (0, 100], was " + percentile);
        Check.required(bound, "bound");
        Check.that(!bound.isNegative() && !bound.isZero(), "bound", "must be positive, was " + bound);
    }

    /** "p99 &lt;= 100 ms": the percentile (without a trailing ".0") and the bound in milliseconds. */
    @Override
    public String toString() {
        String p = percentile == Math.rint(percentile) ? String.valueOf((long) percentile) : String.valueOf(percentile);
        double ms = bound.toNanos() / 1e6;
        String b = ms == Math.rint(ms) ? String.valueOf((long) ms) : String.valueOf(ms);
        return "p" + p + " <= " + b + " ms";
    }
}
