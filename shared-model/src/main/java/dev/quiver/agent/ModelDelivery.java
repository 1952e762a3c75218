package dev.quiver.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.agent.requirement.ModelFormat;

import java.util.Base64;

/**
 * {@code model_delivery}: a data scientist's answer to a {@link DeploymentRequest}: the model artifact, either
 * uploaded in the message or named by a URI.
 *
 * <pre>{@code
 * {"action": "model_delivery", "in_reply_to": "m-1", "correlation_id": "c-1",
 *  "delivery": {"model_id": "churn_prediction_v2", "version": "3", "format": "onnx",
 *               "sha256": "9f86d0...", "artifact": {"uri": "s3://models/churn_prediction_v2/3/model.onnx"}}}
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"action", "header", "in_reply_to", "delivery"})
public record ModelDelivery(@JsonUnwrapped Header header, String inReplyTo, Delivery delivery) implements Answer {

    /**
     * The model delivered.
     *
     * @param modelId the model's name in the catalog
     * @param version the version the sender gives it; the registry may assign its own
     * @param format  the artifact's format
     * @param sha256  the SHA-256 digest of the model file (of the decoded bytes when uploaded), 64 lower-case hex
     *                digits; the receiver verifies it before loading anything
     * @param artifact where the model file and its descriptor are
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delivery(String modelId, String version, ModelFormat format, String sha256, Artifact artifact) {
    }

    /**
     * The artifact, by exactly one of {@link #uri} and {@link #modelBase64}.
     *
     * <p>By URI, only the syntax is checked here (absolute, hierarchical, with a scheme and no user info);
     * which stores a receiver fetches from is its configuration, checked before anything is fetched. The
     * descriptor is then optional: a store's layout keeps {@code descriptor.json} beside {@code model.onnx}.
     * Uploaded, the model file is inline in standard base64 and the descriptor is required.
     *
     * @param uri         the model file's location, e.g. {@code s3://bucket/churn/3/model.onnx}, or null
     * @param modelBase64 the model file in standard base64 (RFC 4648, with padding), or null
     * @param descriptor  the model's descriptor ({@code descriptor.json}) as a JSON object, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Artifact(String uri, String modelBase64, ObjectNode descriptor) {

        public Artifact {
            descriptor = descriptor == null ? null : descriptor.deepCopy();
        }

        /** An artifact stored at {@code uri}. */
        public static Artifact at(String uri) {
            return new Artifact(uri, null, null);
        }

        /** An artifact uploaded with the message: the model file's bytes and its descriptor. */
        public static Artifact uploaded(byte[] model, ObjectNode descriptor) {
            return new Artifact(null, Base64.getEncoder().encodeToString(model), descriptor);
        }

        /** The uploaded model file's bytes; only for an uploaded artifact. */
        public byte[] modelBytes() {
            if (modelBase64 == null) {
                throw new IllegalStateException("the artifact is not uploaded but at " + uri);
            }
            return Base64.getDecoder().decode(modelBase64);
        }

        @Override
        public ObjectNode descriptor() {
            return descriptor == null ? null : descriptor.deepCopy();
        }
    }

    @Override
    @JsonProperty("action")
    public Action action() {
        return Action.MODEL_DELIVERY;
    }
}
