package dev.quiver.features;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.quiver.features.FeastBodies.get;
import static dev.quiver.features.FeastBodies.getService;
import static dev.quiver.features.FeastBodies.refs;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Traces, metrics and readiness of the features function. */
@QuarkusTest
@WithTestResource(TempFeatureStore.class)
class ObservabilityTest {

    @Inject
    InMemorySpanExporter spans;

    @Test
    void eachFetchIsASpanNamingTheStoreTheViewsAndTheEntityCount() {
        spans.reset();
        Feast.getOnlineFeatures(get(refs("state", "total_day_calls"), 1, 2, 3)).statusCode(200);

        await().untilAsserted(() -> assertThat(fetchSpan()).isPresent());
        SpanData span = fetchSpan().orElseThrow();
        assertThat(span.getAttributes().get(AttributeKey.stringKey("quiver.store"))).isEqualTo("embedded");
        assertThat(span.getAttributes().get(AttributeKey.stringArrayKey("quiver.views"))).containsExactly("churn_features");
        assertThat(span.getAttributes().get(AttributeKey.longKey("quiver.entities"))).isEqualTo(3L);
    }

    @Test
    void aFailedFetchIsASpanWithStatusError() {
        spans.reset();
        Feast.getOnlineFeatures(get(refs("nope"), 1)).statusCode(404);

        await().untilAsserted(() -> assertThat(fetchSpan()).isPresent());
        assertThat(fetchSpan().orElseThrow().getStatus().getStatusCode())
                .isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
    }

    @Test
    void exposesFetchLatencyPerViewAndValueCountsByStatus() {
        Feast.getOnlineFeatures(getService(1, 2, 4_000_001)).statusCode(200);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern(
                "quiver_features_fetch_seconds_bucket\\{.*outcome=\"ok\".*store=\"embedded\".*view=\"churn_features\".*}");
        assertThat(metrics).containsPattern("quiver_features_fetch_seconds_count\\{.*view=\"churn_features\".*} [1-9]");
        assertThat(metrics).containsPattern(
                "quiver_features_values_total\\{.*status=\"PRESENT\".*view=\"churn_features\".*} ([3-9]\\d|\\d{3,})");
        assertThat(metrics).containsPattern(
                "quiver_features_values_total\\{.*status=\"NOT_FOUND\".*view=\"churn_features\".*} (19|[2-9]\\d|\\d{3,})");
    }

    @Test
    void isReadyOnceDefinitionsAreLoadedAndTheStoreAnswers() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks[0].name", equalTo("online store")).body("checks[0].data.store", equalTo("embedded"));
        given().get("/q/health/live").then().statusCode(200);
    }

    private Optional<SpanData> fetchSpan() {
        List<SpanData> finished = spans.getFinishedSpanItems();
        return finished.stream().filter(s -> s.getName().equals("quiver.features.fetch")).findFirst();
    }
}
