package dev.quiver.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code model_issue_alert} envelope: a model version has a problem someone (an agent or a person) should act
 * on, for example {@code severity: high, model_id: churn:2, issue: "canary rolled back: error rate 0.05 against
 * the champion's 0.01", action: "rolled_back"}.
 *
 * @param messageId  unique per alert, so receivers can de-duplicate
 * @param severity   {@code low}, {@code medium}, {@code high} or {@code critical}
 * @param modelId    {@code name:version}
 * @param issue      what happened, in words, with the measured value and the threshold
 * @param detectedAt when it was detected
 * @param action     what was done or is asked, such as {@code rolled_back} or {@code investigate}
 * @param details    measured values and context, by name
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ModelIssueAlert(String messageId, String severity, String modelId, String issue, Instant detectedAt,
                              String action, Map<String, Object> details) {

    /** The envelope's type, as receivers dispatch on it. */
    public static final String TYPE = "model_issue_alert";

    public ModelIssueAlert {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** A new alert with a fresh message id. */
    public static ModelIssueAlert of(String severity, String modelId, String issue, Instant detectedAt, String action,
                                     Map<String, Object> details) {
        return new ModelIssueAlert(UUID.randomUUID().toString(), severity, modelId, issue, detectedAt, action, details);
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }
}
