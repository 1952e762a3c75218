package dev.quiver.agent.outbox;

import java.time.Duration;

/**
 * How long the outbox keeps trying: the delay after the n-th failed delivery is {@code firstDelay × 2^(n-1)}, at most
 * {@code maxDelay}; after {@code maxAttempts} failed deliveries the message becomes a dead letter. Validated on
 * construction.
 *
 * @param maxAttempts deliveries tried before giving up, at least 1
 * @param firstDelay  the wait after the first failure, positive
 * @param maxDelay    the longest wait between two tries, at least {@code firstDelay}
 */
public record RetryPolicy(int maxAttempts, Duration firstDelay, Duration maxDelay) {

    /** Eight tries over about four minutes: 1, 2, 4, 8, 16, 32, 60 s apart. */
    public static final RetryPolicy DEFAULTS = new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(60));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (firstDelay == null || firstDelay.isNegative() || firstDelay.isZero()) {
            throw new IllegalArgumentException("firstDelay must be positive, was " + firstDelay);
        }
        if (maxDelay == null || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("maxDelay must be at least firstDelay, was " + maxDelay);
        }
    }

    /** The wait after the {@code failures}-th failed delivery (1 for the first). */
    public Duration delayAfter(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        Duration d = firstDelay.multipliedBy(1L << doublings);
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }
}
