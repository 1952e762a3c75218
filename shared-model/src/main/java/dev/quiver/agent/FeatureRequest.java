package dev.quiver.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.quiver.agent.requirement.LatencyBound;
import dev.quiver.agent.requirement.RequirementText;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code feature_store_request}: asks a data engineer to make features available online. Answered by a
 * {@link FeatureAvailability}.
 *
 * <pre>{@code
 * {"action": "feature_store_request", "recipient": "data_engineer_id",
 *  "request": {"features": ["user_age", "purchase_history", "last_login"],
 *              "latency_requirement": "real-time", "update_frequency": "hourly"}}
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"action", "header", "request"})
public record FeatureRequest(@JsonUnwrapped Header header, Request request) implements Envelope {

    /**
     * What is asked for.
     *
     * @param features           the feature names, plain ("user_age") or qualified by view ("user_stats:user_age");
     *                           at least one, no name twice
     * @param latencyRequirement how fast one online read must be, e.g. "real-time", "&lt; 10ms"; or null
     * @param updateFrequency    how often values must be refreshed, e.g. "hourly", "every 15 minutes"; or null
     * @param modelId            the model that needs the features, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Request(List<String> features, String latencyRequirement, String updateFrequency, String modelId) {

        public Request {
            features = features == null ? null : List.copyOf(features);
        }

        /** The read latency bound ("real-time" is {@link LatencyBound#REAL_TIME}), or empty when none is stated. */
        public Optional<LatencyBound> latencyBound() {
            return latencyRequirement == null ? Optional.empty()
                    : Optional.of(RequirementText.latency(latencyRequirement, "request.latency_requirement"));
        }

        /** The interval between updates ({@link Duration#ZERO} for streaming), or empty when none is stated. */
        public Optional<Duration> updateInterval() {
            return updateFrequency == null ? Optional.empty()
                    : Optional.of(RequirementText.updateFrequency(updateFrequency, "request.update_frequency"));
        }
    }

    @Override
    @JsonProperty("action")
    public Action action() {
        return Action.FEATURE_STORE_REQUEST;
    }
}
