package dev.quiver.predict;

import dev.quiver.testing.quarkus.OtlpCollector;
import dev.quiver.testing.quarkus.TempModelStore;
import io.quarkus.opentelemetry.runtime.exporter.otlp.tracing.LateBoundSpanProcessor;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A function built as shipped exports its spans over OTLP once a collector is named: here a real HTTP endpoint
 * receives what Quarkus's OTLP exporter sends ({@code http/protobuf}), and a prediction's trace id, span name and
 * service name are in it. The in-memory exporter of the other tests is left out, so nothing but OTLP takes the spans.
 */
@QuarkusTest
@TestProfile(OtlpExportTest.Profile.class)
class OtlpExportTest {

    /** As {@link NoCollectorTest}'s, with the collector. */
    public static class Profile extends NoCollectorTest.Profile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TempModelStore.class), new TestResourceEntry(OtlpCollector.class));
        }
    }

    @Inject
    Instance<LateBoundSpanProcessor> otlp;

    @Test
    void aPredictionsSpanReachesTheCollectorNamedByTheEndpoint() {
        assertThat(otlp.stream().toList()).as("Quarkus's OTLP span processors")
                .anyMatch(p -> !p.isDelegateNull());
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        given().contentType(ContentType.JSON).header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body(ChurnRows.request(ChurnRows.customer()))
                .post("/predict").then().statusCode(200);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(OtlpCollector.holdsTrace(traceId)).as("the prediction's trace id in an OTLP export").isTrue();
            // the request's span, described with the model that answered, and the service's name
            assertThat(OtlpCollector.tracesText()).contains("quiver.model.name").contains("quiver-predict");
        });
    }
}
