package dev.quiver.agent.inbox;

import java.time.Instant;

/**
 * A message received whose action failed on every try.
 *
 * @param at        when it was given up
 * @param messageId its id
 * @param action    its action
 * @param reason    why its last try failed, and how many there were
 * @param message   the message as JSON
 */
public record DeadLetter(Instant at, String messageId, String action, String reason, String message) {
}
