package dev.quiver.agent;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * The fields every message may carry besides its action and its body, written at the top level of the JSON.
 *
 * <p>Only {@link #recipient} is required, and only on the three envelopes (an answer goes back to the sender of
 * the message it answers unless it names someone else). The rest are optional so that the team's envelopes,
 * which carry none of them, stay valid; Quiver fills them on everything it sends.
 *
 * @param recipient     the id of the agent the message is for, as {@code config/agents.yaml} names it
 * @param sender        the id of the agent that sent it, or null
 * @param messageId     this message's unique id, or null; a door that receives a message without one assigns
 *                      one, so that answers can name it in {@code in_reply_to} and duplicates can be detected
 * @param correlationId the id shared by every message of one exchange (a request, its answer, the alerts it
 *                      leads to), or null; required on answers
 * @param sentAt        when it was sent, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Header(String recipient, String sender, String messageId, String correlationId, Instant sentAt) {

    /**
     * The header of {@code self}'s answer to {@code message}: to its sender, with a new message id, in the exchange
     * of the message (its correlation id, or its message id when it had none), sent at {@code at}.
     */
    public static Header replyTo(Message message, String self, java.time.Instant at) {
        Header h = message.header();
        return new Header(h.sender(), self, MessageIds.next(), h.exchange(), at);
    }

    /** The exchange this message belongs to: its correlation id, or its own id when it has none. */
    public String exchange() {
        return correlationId != null ? correlationId : messageId;
    }

    /** This header with {@code id} as its message id and, when it has none, as its correlation id. */
    public Header withId(String id) {
        return new Header(recipient, sender, id, correlationId != null ? correlationId : id, sentAt);
    }

    /** A header with only a recipient, as the team's own envelopes are written. */
    public static Header to(String recipient) {
        return new Header(recipient, null, null, null, null);
    }
}
