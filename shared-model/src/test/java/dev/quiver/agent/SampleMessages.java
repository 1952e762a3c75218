package dev.quiver.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.agent.requirement.ModelFormat;
import dev.quiver.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Named messages for tests, one per shape a real exchange has, and the recorded fixtures under {@code agent/}. */
final class SampleMessages {

    private SampleMessages() {
    }

    /** The team's three envelopes, verbatim, by file name. */
    static final List<String> TEAM_EXAMPLES = List.of("model_deployment_request.json", "feature_store_request.json",
            "model_issue_alert.json");

    /** Recorded answers, by file name. */
    static final List<String> ANSWER_EXAMPLES = List.of("model_delivery_uri.json", "model_delivery_upload.json",
            "feature_availability.json", "acknowledgement.json");

    static final Instant SENT = Instant.parse("2024-03-15T10:31:00Z");

    /** The text of {@code agent/<name>}. */
    static String fixture(String name) {
        try (InputStream in = SampleMessages.class.getResourceAsStream("/agent/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture agent/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Header fullHeader(String recipient) {
        return new Header(recipient, "quiver", "quiver-msg-0042", "corr-2024-03-15-churn", SENT);
    }

    static Header answerHeader() {
        return new Header(null, "data_scientist_id", "ds-7f3a", "corr-2024-03-15-churn", SENT);
    }

    static DeploymentRequest deploymentRequest() {
        return new DeploymentRequest(fullHeader("data_scientist_id"), new DeploymentRequest.Request(
                "churn_prediction_v2", new DeploymentRequest.Requirements("p99 <= 0.1 s", "60k/min", "ONNX, TensorRT")));
    }

    /** A request with no requirements at all and only a recipient. */
    static DeploymentRequest bareDeploymentRequest() {
        return new DeploymentRequest(Header.to("data_scientist_id"),
                new DeploymentRequest.Request("churn_prediction_v2", null));
    }

    /** Another agent's request that carries the model it wants deployed. */
    static DeploymentRequest deploymentRequestWithModel() {
        return new DeploymentRequest(fullHeader("quiver"), new DeploymentRequest.Request("churn_prediction_v2",
                new DeploymentRequest.Requirements("< 100ms", "1000 req/s", "ONNX"), deliveryByUri().delivery()));
    }

    static FeatureRequest featureRequest() {
        return new FeatureRequest(fullHeader("data_engineer_id"), new FeatureRequest.Request(
                List.of("user_stats:user_age", "last_login"), "< 10 ms", "every 15 minutes", "churn_prediction_v2"));
    }

    static IssueAlert issueAlert() {
        ObjectNode details = Json.MAPPER.createObjectNode().put("version", "3").put("accuracy", 0.82)
                .put("threshold", 0.85);
        return new IssueAlert(fullHeader("project_manager_id"), new IssueAlert.Issue(Severity.CRITICAL,
                "churn_prediction_v2", "Model accuracy dropped from 0.89 to 0.82", Instant.parse("2024-03-15T10:30:00Z"),
                "Rolled back from version 3 to 2", details));
    }

    static ModelDelivery deliveryByUri() {
        return new ModelDelivery(answerHeader(), "quiver-msg-0042", new ModelDelivery.Delivery("churn_prediction_v2",
                "3", ModelFormat.ONNX, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                ModelDelivery.Artifact.at("s3://quiver-models/churn_prediction_v2/3/model.onnx")));
    }

    static ModelDelivery deliveryUploaded() {
        ObjectNode descriptor = Json.MAPPER.createObjectNode().put("name", "churn_prediction_v2").put("version", "3");
        return new ModelDelivery(answerHeader(), "quiver-msg-0042", new ModelDelivery.Delivery("churn_prediction_v2",
                "3", ModelFormat.ONNX, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                ModelDelivery.Artifact.uploaded("test".getBytes(StandardCharsets.US_ASCII), descriptor)));
    }

    static FeatureAvailability featureAvailability() {
        return new FeatureAvailability(answerHeader(), "quiver-msg-0043", new FeatureAvailability.Availability(List.of(
                FeatureAvailability.Feature.available("user_age", "int64", Duration.ofMinutes(20)),
                FeatureAvailability.Feature.missing("last_login", "no source publishes logins yet"))));
    }

    static Acknowledgement acknowledgement() {
        return new Acknowledgement(new Header("quiver", "project_manager_id", null, "corr-2024-03-15-churn", null),
                "quiver-msg-0044", new Acknowledgement.Outcome(Acknowledgement.Status.ACCEPTED,
                "Incident INC-311 opened", null));
    }

    /** One of each shape above. */
    static List<Message> all() {
        return List.of(deploymentRequest(), bareDeploymentRequest(), deploymentRequestWithModel(), featureRequest(), issueAlert(), deliveryByUri(),
                deliveryUploaded(), featureAvailability(), acknowledgement());
    }
}
