package dev.quiver.prediction.acceptance;

import java.time.Duration;

/**
 * How long and how hard the acceptance benchmark loads a model.
 *
 * @param warmup      how long requests run, unmeasured, before the measurement (JIT, caches, ONNX Runtime's arenas);
 *                    zero or more
 * @param duration    how long the measurement runs; at least 10 ms, at most 10 minutes
 * @param concurrency how many requests are in flight at once (closed loop: each of as many threads sends its next
 *                    request when its last is answered); 1 to 1,024
 */
public record AcceptanceSettings(Duration warmup, Duration duration, int concurrency) {

    /** The warm-up by default. */
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(1);
    /** The measurement by default: long enough for a stable p99 of sub-millisecond predictions. */
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(5);
    /** The longest measurement allowed: a caller waits for it. */
    public static final Duration MAX_DURATION = Duration.ofMinutes(10);
    public static final int MAX_CONCURRENCY = 1024;

    public AcceptanceSettings {
        if (warmup == null || warmup.isNegative() || warmup.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("warmup must be between 0 and " + MAX_DURATION + ", was " + warmup);
        }
        if (duration == null || duration.toMillis() < 10 || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("duration must be between 10 ms and " + MAX_DURATION + ", was "
                    + duration);
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("concurrency must be between 1 and " + MAX_CONCURRENCY + ", was "
                    + concurrency);
        }
    }

    /** The defaults: {@link #DEFAULT_WARMUP}, {@link #DEFAULT_DURATION}, one request in flight per processor. */
    public static AcceptanceSettings defaults() {
        return new AcceptanceSettings(DEFAULT_WARMUP, DEFAULT_DURATION, Runtime.getRuntime().availableProcessors());
    }
}
