package dev.quiver.predict;

import dev.quiver.testing.http.RecordingEndpoint;
import dev.quiver.testing.quarkus.TempModelStore;
import io.quarkus.opentelemetry.runtime.exporter.otlp.tracing.LateBoundSpanProcessor;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

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

    /** Every request the collector received. */
    static final List<RecordingEndpoint.Request> RECEIVED = new CopyOnWriteArrayList<>();

    /** A collector on a free port that accepts OTLP over HTTP and keeps each request. */
    public static class Collector implements QuarkusTestResourceLifecycleManager {
        private RecordingEndpoint endpoint;

        @Override
        public Map<String, String> start() {
            RECEIVED.clear();
            endpoint = RecordingEndpoint.start(200, RECEIVED);
            return Map.of("quarkus.otel.exporter.otlp.endpoint", endpoint.url(),
                    "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf");
        }

        @Override
        public void stop() {
            endpoint.close();
        }
    }

    /** As {@link NoCollectorTest}'s, with the collector. */
    public static class Profile extends NoCollectorTest.Profile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TempModelStore.class), new TestResourceEntry(Collector.class));
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

        byte[] rawTraceId = HexFormat.of().parseHex(traceId);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ByteArrayOutputStream traces = new ByteArrayOutputStream();
            RECEIVED.stream().filter(r -> r.path().equals("/v1/traces")).forEach(r -> traces.writeBytes(r.bytes()));
            byte[] sent = traces.toByteArray();
            assertThat(indexOf(sent, rawTraceId)).as("the prediction's trace id in an OTLP export").isNotNegative();
            String text = new String(sent, StandardCharsets.ISO_8859_1);
            assertThat(text).contains("quiver.predict").contains("quiver-predict");
        });
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
