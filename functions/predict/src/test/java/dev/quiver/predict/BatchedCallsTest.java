package dev.quiver.predict;

import dev.quiver.testing.quarkus.TempModelStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Calls of {@code POST /predict} that arrive together are scored together ({@code quiver.predict.batching}, on by
 * default): each still gets its own answer, error and request id, and its own request span describes it.
 */
@QuarkusTest
@QuarkusTestResource(TempModelStore.class)
class BatchedCallsTest {

    private static final int CALLS = 48;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/predict")
    URI predict;

    @Inject
    InMemorySpanExporter spans;

    /** Customer {@code i}: a different mix of day minutes and service calls each, so that every answer differs. */
    private static Map<String, Object> body(int i) {
        Map<String, Object> row = ChurnRows.customer();
        row.put("total_day_minutes", 120.0 + 5.5 * i);
        row.put("number_customer_service_calls", i % 7);
        if (i == 13) {
            row.put("favourite_colour", "red");
        }
        Map<String, Object> body = ChurnRows.request(row);
        body.put("request_id", "call-" + i);
        return body;
    }

    private static String traceId(int i) {
        return String.format("%032x", 0xC0FFEE00L + i);
    }

    private static HttpRequest request(URI uri, int i) throws Exception {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId(i) + "-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body(i)))).build();
    }

    @Test
    void callsThatArriveTogetherEachGetTheAnswerTheyGetAloneAndASpanInTheirOwnTrace() throws Exception {
        spans.reset();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<Integer, String> alone = new HashMap<>();
        for (int i = 0; i < CALLS; i++) {
            HttpResponse<String> r = client.send(request(predict, i), HttpResponse.BodyHandlers.ofString());
            alone.put(i, r.statusCode() + " " + r.body());
        }

        // one connection per call, all sent at once, many times over: the event loops read several at a time
        Map<Integer, String> together = new HashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(CALLS);
        try {
            for (int round = 0; round < 5; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
                for (int i = 0; i < CALLS; i++) {
                    HttpRequest req = request(predict, i);
                    HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    sent.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            go.await();
                            return own.send(req, HttpResponse.BodyHandlers.ofString());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, pool));
                }
                go.countDown();
                for (int i = 0; i < CALLS; i++) {
                    HttpResponse<String> r = sent.get(i).get(30, TimeUnit.SECONDS);
                    String answer = r.statusCode() + " " + r.body();
                    assertThat(answer).as("call %d, round %d", i, round).isEqualTo(alone.get(i));
                    together.put(i, answer);
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(together.get(13)).startsWith("400").contains("favourite_colour");
        for (int i = 0; i < CALLS; i++) {
            if (i != 13) {
                JsonNode body = JSON.readTree(together.get(i).substring(4));
                assertThat(body.path("request_id").asText()).isEqualTo("call-" + i);
            }
        }
        assertThat(alone.values().stream().distinct().count()).as("every call a different answer").isEqualTo(CALLS);
        // 5 x 48 calls released at once: the event loops read several in a turn, and some runs scored several
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern(
                "quiver_prediction_batch_requests_count\\{model=\"churn\",version=\"1\"} [1-9]");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<SpanData> requests = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getKind() == SpanKind.SERVER && s.getName().equals("POST /predict")).toList();
            for (int i = 0; i < CALLS; i++) {
                String trace = traceId(i);
                List<SpanData> mine = requests.stream().filter(s -> s.getTraceId().equals(trace)).toList();
                assertThat(mine).as("request spans of call %d: sent alone once, then together five times", i)
                        .hasSize(6);
                if (i != 13) {
                    assertThat(mine).allMatch(s -> s.getAttributes().get(AttributeKey.longKey("quiver.rows")) == 1L
                            && "churn".equals(s.getAttributes().get(AttributeKey.stringKey("quiver.model.name"))));
                } else {
                    assertThat(mine).allMatch(s -> s.getAttributes().get(AttributeKey.stringKey("quiver.error"))
                            .contains("favourite_colour"));
                }
            }
            assertThat(spans.getFinishedSpanItems()).as("no span of its own beside the request's")
                    .noneMatch(s -> s.getName().equals("quiver.predict"));
        });
    }
}
