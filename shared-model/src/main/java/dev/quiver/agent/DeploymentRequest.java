package dev.quiver.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.quiver.agent.requirement.LatencyBound;
import dev.quiver.agent.requirement.ModelFormat;
import dev.quiver.agent.requirement.RequirementText;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code model_deployment_request}: asks a data scientist for a model, new or retrained, that meets
 * requirements. Answered by a {@link ModelDelivery}.
 *
 * <pre>{@code
 * {"action": "model_deployment_request", "recipient": "data_scientist_id",
 *  "request": {"model_id": "churn_prediction_v2",
 *              "requirements": {"latency": "< 100ms", "throughput": "1000 req/s", "format": "ONNX or TensorRT"}}}
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"action", "header", "request"})
public record DeploymentRequest(@JsonUnwrapped Header header, Request request) implements Envelope {

    /**
     * What is asked for.
     *
     * @param modelId      the model the request is about, as the catalog names it
     * @param requirements what the model must meet, or null when nothing is stated
     * @param model        the model itself when the sender has one (its {@code model_id} is this request's), or
     *                     null when the request asks for one to be built
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"model_id", "model", "requirements"})
    public record Request(String modelId, Requirements requirements,
                          @JsonIgnoreProperties("model_id") ModelDelivery.Delivery model) {

        /** A request for a model to be built. */
        public Request(String modelId, Requirements requirements) {
            this(modelId, requirements, null);
        }
    }

    /**
     * The requirements, as the human strings the team writes; each is optional. The typed accessors read them
     * with {@link RequirementText} (a message that passed {@link Messages#check} reads without error).
     *
     * @param latency    e.g. "&lt; 100ms", "p99 &lt;= 0.1 s"
     * @param throughput e.g. "1000 req/s", "60k/min"
     * @param format     the acceptable formats, most preferred first, e.g. "ONNX or TensorRT"
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Requirements(String latency, String throughput, String format) {

        /** The latency bound, or empty when none is stated. */
        public Optional<LatencyBound> latencyBound() {
            return latency == null ? Optional.empty()
                    : Optional.of(RequirementText.latency(latency, "request.requirements.latency"));
        }

        /** The throughput in requests per second, or empty when none is stated. */
        public OptionalDouble requestsPerSecond() {
            return throughput == null ? OptionalDouble.empty()
                    : OptionalDouble.of(RequirementText.throughput(throughput, "request.requirements.throughput"));
        }

        /** The acceptable formats, most preferred first; empty when none is stated (any format will do). */
        public List<ModelFormat> formats() {
            return format == null ? List.of() : RequirementText.formats(format, "request.requirements.format");
        }
    }

    @Override
    @JsonProperty("action")
    public Action action() {
        return Action.MODEL_DEPLOYMENT_REQUEST;
    }
}
