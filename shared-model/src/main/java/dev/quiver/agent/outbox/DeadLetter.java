package dev.quiver.agent.outbox;

import java.time.Instant;

/**
 * A message the outbox gave up on, kept with the reason so that nothing is dropped silently.
 *
 * @param message the message as it was after its last attempt
 * @param reason  why it was given up: the last delivery's failure, or a recipient no longer known
 * @param at      when it was given up
 */
public record DeadLetter(Outgoing message, String reason, Instant at) {
}
