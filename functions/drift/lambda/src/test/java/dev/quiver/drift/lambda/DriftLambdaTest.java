package dev.quiver.drift.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.drift.capture.ProfileStore;
import dev.quiver.drift.function.RedisCapturedWindow;
import dev.quiver.testing.files.Repository;
import dev.quiver.testing.lambda.LambdaEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drift function on Lambda, driven through the Lambda runtime API of Quarkus's mock event server with the
 * events AWS delivers (EventBridge schedule and custom events, an SQS batch), against a captured window of churn:1 in a
 * real redis-server, the store the Lambda build is configured for.
 */
@QuarkusTest
@QuarkusTestResource(value = DriftLambdaTest.Window.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftLambdaTest {

    /** The captured window in Redis, and the repository's catalog in place of the layer's. */
    public static class Window extends RedisCapturedWindow {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            config.put("quiver.store.catalog", Repository.path("config/models.yaml").toString());
            return config;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ProfileStore store;

    /** The function's result for an event, or its error ({@code errorType}, {@code errorMessage}). */
    private static JsonNode invoke(String fixture, int status) {
        Response r = LambdaEvents.invoke("events/" + fixture + ".json");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        try {
            return JSON.readTree(r.asString());
        } catch (IOException e) {
            throw new UncheckedIOException(r.asString(), e);
        }
    }

    @Test
    @Order(1)
    void aScheduleEvaluatesTheLatestWindowOfEveryCapturedVersionAndAlertsOnce() {
        JsonNode first = invoke("scheduled", 200);
        assertThat(first.at("/evaluated/0/model").asText()).isEqualTo("churn");
        assertThat(first.at("/evaluated/0/window").asText()).isEqualTo("2026-11-28T03:00:00Z");
        assertThat(first.at("/evaluated/0/drifted_columns").asInt()).isPositive();
        assertThat(first.at("/evaluated/0/alerts").asInt()).isEqualTo(2);
        assertThat(first.get("skipped")).isEmpty();
        assertThat(invoke("scheduled", 200).at("/evaluated/0/alerts").asInt()).as("claimed in Redis").isZero();
    }

    @Test
    @Order(2)
    void anEvaluateEventReportsTheWindowItNames() {
        JsonNode e = invoke("evaluate", 200);
        assertThat(e.at("/report/window").asText()).isEqualTo("2026-11-28T03:00:00Z");
        assertThat(e.at("/report/current_rows").asInt()).isEqualTo(1000);
        JsonNode bad = invoke("evaluate-bad-window", 500);
        // Funqy wraps what the function throws; the message keeps the refusal's own type, field and reason
        assertThat(bad.get("errorMessage").asText()).startsWith("dev.quiver.error.QuiverException: detail.window:")
                .contains("yesterday");
        JsonNode unknown = invoke("unknown-type", 500);
        assertThat(unknown.get("errorMessage").asText()).contains("detail-type").contains("Object Created");
    }

    @Test
    @Order(3)
    void labelsArriveByEventBridgeAndBySqsWhereEachBadMessageGoesBack() {
        assertThat(invoke("feedback", 200).get("accepted").asInt()).isEqualTo(100);
        JsonNode batch = invoke("sqs-feedback", 200);
        assertThat(batch.get("batchItemFailures")).extracting(f -> f.get("itemIdentifier").asText())
                .containsExactlyInAnyOrder("m-2", "m-3", "m-4");
        Map<String, String> labels = store.outcomes("churn");
        assertThat(labels).hasSize(102).containsEntry("w-100#0", "yes").containsEntry("w-101#0", "no")
                .doesNotContainKey("w-102#0");
        // the measured accuracy the 100 EventBridge labels give, and the alert it raises once
        JsonNode e = invoke("evaluate", 200);
        assertThat(e.at("/report/measured_performance/current/labelled").asInt()).isEqualTo(102);
        assertThat(e.at("/alerts/0/issue/issue").asText()).startsWith("Model accuracy dropped from 0.96 to 0.");
    }

    @Test
    @Order(4)
    void anSqsMessageMayCarryAWholeEventBridgeEventAndAForeignEventIsRefusedByName() {
        JsonNode batch = invoke("sqs-eventbridge-feedback", 200);
        assertThat(batch.get("batchItemFailures")).extracting(f -> f.get("itemIdentifier").asText())
                .containsExactly("e-2");
        assertThat(store.outcomes("churn")).containsEntry("w-104#0", "yes").doesNotContainKey("w-105#0");
        JsonNode s3 = invoke("s3-object-created", 500);
        assertThat(s3.get("errorMessage").asText()).contains("Records[0].eventSource").contains("aws:s3");
    }
}
