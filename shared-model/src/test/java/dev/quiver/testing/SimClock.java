package dev.quiver.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves {@link #now}. Starts at 2026-11-28T00:00:00Z. */
public final class SimClock extends Clock {

    public volatile Instant now = Instant.parse("2026-11-28T00:00:00Z");

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
