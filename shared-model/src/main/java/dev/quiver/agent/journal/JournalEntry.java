package dev.quiver.agent.journal;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * One line of the agent's audit log.
 *
 * @param at            when it happened
 * @param event         what happened: {@code received}, {@code sent}, {@code delivered}, {@code acted},
 *                      {@code refused}, {@code failed}, {@code duplicate}, {@code retried} or {@code dead_lettered}
 * @param action        the message's action ({@code model_issue_alert}, ...), or null for a message that did not read
 * @param messageId     the message's id, or null
 * @param correlationId the exchange's correlation id, or null
 * @param model         the model the message is about, or null
 * @param peer          the other agent: the sender of a message received, the recipient of one sent
 * @param door          how it came or went: {@code http}, {@code cloudevent}, {@code kafka}, {@code a2a}, {@code sqs},
 *                      or the channel of a recipient
 * @param summary       what was done or why not, in words
 * @param traceId       the W3C trace id it was handled under, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalEntry(Instant at, String event, String action, String messageId, String correlationId,
                           String model, String peer, String door, String summary, String traceId) {
}
