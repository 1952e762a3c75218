package dev.quiver.agent.outbox;

import java.time.Instant;

/**
 * One message on its way to an agent.
 *
 * @param id        the outbox's own id for it
 * @param recipient the agent id it goes to ({@code config/agents.yaml})
 * @param body      what is delivered: the envelope as JSON
 * @param queuedAt  when it was sent
 * @param attempts  the deliveries tried so far
 * @param due       when the next delivery may be tried
 * @param lastError why the last delivery failed; null before the first failure
 * @param traceparent the W3C trace context the message was sent in, which its delivery carries on; null when none
 */
public record Outgoing(String id, String recipient, String body, Instant queuedAt, int attempts, Instant due,
                       String lastError, String traceparent) {

    /** This message after one more failed delivery, next tried at {@code due}. */
    public Outgoing failed(String error, Instant due) {
        return new Outgoing(id, recipient, body, queuedAt, attempts + 1, due, error, traceparent);
    }
}
