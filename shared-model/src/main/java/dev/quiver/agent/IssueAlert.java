package dev.quiver.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * {@code model_issue_alert}: tells a project manager about a model incident and what is being done about it.
 * Answered by an {@link Acknowledgement}.
 *
 * <pre>{@code
 * {"action": "model_issue_alert", "recipient": "project_manager_id",
 *  "issue": {"severity": "high", "model_id": "churn_prediction_v2",
 *            "issue": "Model accuracy dropped from 0.89 to 0.82",
 *            "detected_at": "2024-03-15T10:30:00Z", "action": "Investigating data drift"}}
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"action", "header", "issue"})
public record IssueAlert(@JsonUnwrapped Header header, Issue issue) implements Envelope {

    /**
     * The incident.
     *
     * @param severity   how bad it is
     * @param modelId    the model it concerns (a version may be named in {@code details})
     * @param issue      what happened, in words
     * @param detectedAt when it was detected; written as an ISO-8601 instant in UTC
     * @param action     what is being done about it, in words, or null
     * @param details    any further detail as a JSON object (figures, the version, the drifted features), or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Issue(Severity severity, String modelId, String issue, Instant detectedAt, String action,
                        ObjectNode details) {
        public Issue {
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
        return Action.MODEL_ISSUE_ALERT;
    }
}
