package dev.quiver.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/**
 * {@code acknowledgement}: says what was done about a message (an alert, or a request whose real answer comes
 * later or not at all).
 *
 * <pre>{@code
 * {"action": "acknowledgement", "in_reply_to": "m-3", "correlation_id": "c-3",
 *  "outcome": {"status": "done", "summary": "Rolled churn_prediction_v2 back from version 3 to 2"}}
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"action", "header", "in_reply_to", "outcome"})
public record Acknowledgement(@JsonUnwrapped Header header, String inReplyTo, Outcome outcome) implements Answer {

    /** Where the work the message asked for stands. */
    public enum Status {
        /** Received and under way; a later message tells the end. */
        ACCEPTED,
        /** Done. */
        DONE,
        /** Not done, on purpose: the summary says why. */
        REFUSED,
        /** Tried and failed: the summary says how. */
        FAILED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What was done.
     *
     * @param status  where the work stands
     * @param summary what was done, in words
     * @param details further detail as a JSON object (measured figures, the versions involved), or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outcome(Status status, String summary, ObjectNode details) {
        public Outcome {
            details = details == null ? null : details.deepCopy();
        }

        @Override
        public ObjectNode details() {
            return details == null ? null : details.deepCopy();
        }
    }

    @Override
    @JsonProperty("action")
    public Action action() {
        return Action.ACKNOWLEDGEMENT;
    }
}
