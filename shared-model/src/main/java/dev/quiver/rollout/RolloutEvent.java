package dev.quiver.rollout;

import java.time.Instant;

/**
 * One change to a rollout, for its audit log: who or what made it, when, from which state to which, and why
 * (for a rollback, what was measured against which threshold).
 */
public record RolloutEvent(Instant at, String by, String from, String to, String why) {
}
