package dev.quiver.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code feature_availability}: a data engineer's answer to a {@link FeatureRequest}, feature by feature.
 *
 * <pre>{@code
 * {"action": "feature_availability", "in_reply_to": "m-2", "correlation_id": "c-2",
 *  "availability": {"features": [
 *     {"name": "user_age", "status": "available", "type": "int64", "freshness": "PT20M"},
 *     {"name": "last_login", "status": "missing", "reason": "no source has it yet"}]}}
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"action", "header", "in_reply_to", "availability"})
public record FeatureAvailability(@JsonUnwrapped Header header, String inReplyTo, Availability availability)
        implements Answer {

    /** Whether a feature can be read online. */
    public enum Status {
        AVAILABLE, MISSING;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The answer for each feature asked for.
     *
     * @param features one entry per feature, at least one, no name twice
     */
    public record Availability(List<Feature> features) {
        public Availability {
            features = features == null ? null : List.copyOf(features);
        }
    }

    /**
     * One feature's availability.
     *
     * @param name      the feature's name as asked
     * @param status    available or missing
     * @param reason    why it is missing (required then), or a remark; null otherwise
     * @param type      its value type as {@code config/features.yaml} writes it (e.g. "int64"), or null
     * @param freshness how old the newest stored values were when checked, or null when unknown or missing;
     *                  written as an ISO-8601 duration
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Feature(String name, Status status, String reason, String type, Duration freshness) {

        public static Feature available(String name, String type, Duration freshness) {
            return new Feature(name, Status.AVAILABLE, null, type, freshness);
        }

        public static Feature missing(String name, String reason) {
            return new Feature(name, Status.MISSING, reason, null, null);
        }
    }

    @Override
    @JsonProperty("action")
    public Action action() {
        return Action.FEATURE_AVAILABILITY;
    }
}
