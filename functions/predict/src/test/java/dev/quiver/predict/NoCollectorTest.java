package dev.quiver.predict;

import dev.quiver.testing.quarkus.TempModelStore;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.opentelemetry.runtime.exporter.otlp.tracing.LateBoundSpanProcessor;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A function with no OTLP collector named, as the run command starts it: Quarkus's OTLP exporter is not installed (it
 * would send to localhost:4317 and log each failure), and no batch span processor queues and copies spans for an
 * exporter that would drop them. The tests' in-memory exporter is left out, as in a real build; with an endpoint,
 * {@link OtlpExportTest} shows the spans leave.
 */
@QuarkusTest
@TestProfile(NoCollectorTest.Profile.class)
class NoCollectorTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.arc.exclude-types", "dev.quiver.testing.quarkus.InMemorySpans");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TempModelStore.class));
        }
    }

    @Inject
    OpenTelemetry openTelemetry;

    @Inject
    Instance<LateBoundSpanProcessor> otlp;

    @Test
    void noProcessorQueuesSpansForNobody() {
        given().contentType(ContentType.JSON)
                .body(ChurnRows.request(ChurnRows.customer()))
                .post("/predict").then().statusCode(200);
        assertThat(openTelemetry.toString()).contains("spanProcessor=").doesNotContain("BatchSpanProcessor");
        assertThat(otlp.stream().toList()).as("Quarkus's OTLP span processors").isNotEmpty()
                .allMatch(LateBoundSpanProcessor::isDelegateNull);
    }
}
