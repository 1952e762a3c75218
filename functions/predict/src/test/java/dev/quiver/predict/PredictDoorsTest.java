package dev.quiver.predict;

import dev.quiver.testing.quarkus.TempModelStore;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** The predict function through each of its doors: Funqy HTTP, CloudEvents, metrics and traces. */
@QuarkusTest
@QuarkusTestResource(TempModelStore.class)
class PredictDoorsTest {

    @Inject
    InMemorySpanExporter spans;

    @Test
    void predictsOneRowWithTheChampionAndNamesTheVersionThatAnswered() {
        Response r = given().contentType(ContentType.JSON).body(ChurnRows.request(ChurnRows.customer()))
                .post("/predict").then().statusCode(200)
                .body("model", equalTo("churn")).body("version", equalTo("1"))
                .body("request_id", notNullValue())
                .body("predictions[0].model", equalTo("churn")).body("predictions[0].version", equalTo("1"))
                .extract().response();
        Map<String, Float> p = r.jsonPath().getMap("predictions[0].probabilities");
        assertThat(p.keySet()).containsExactly("no", "yes");
        assertThat(p.get("no") + p.get("yes")).isCloseTo(1f, within(1e-5f));
        String label = r.jsonPath().getString("predictions[0].label");
        assertThat(label).isEqualTo(p.get("yes") > p.get("no") ? "yes" : "no");
    }

    @Test
    void scoresABatchRowByRowInOrder() {
        Response r = given().contentType(ContentType.JSON)
                .body(ChurnRows.request(List.of(ChurnRows.customer(), ChurnRows.unhappyCustomer(), ChurnRows.customer())))
                .post("/predict").then().statusCode(200).extract().response();
        List<Float> yes = r.jsonPath().getList("predictions.probabilities.yes", Float.class);
        assertThat(yes).hasSize(3);
        assertThat(yes.get(0)).isEqualTo(yes.get(2));
        assertThat(yes.get(1)).isGreaterThan(yes.get(0));
    }

    @Test
    void echoesTheCallersRequestIdAndTakesAnExplicitVersionOrAlias() {
        Map<String, Object> body = ChurnRows.request(ChurnRows.customer());
        body.put("request_id", "req-42");
        body.put("version", "1");
        given().contentType(ContentType.JSON).body(body).post("/predict").then().statusCode(200)
                .body("request_id", equalTo("req-42")).body("version", equalTo("1"));
        Map<String, Object> byAlias = ChurnRows.request(ChurnRows.customer());
        byAlias.put("alias", "champion");
        given().contentType(ContentType.JSON).body(byAlias).post("/predict").then().statusCode(200)
                .body("version", equalTo("1"));
    }

    @Test
    void answersTheSameFunctionAsACloudEvent() {
        Response r = given().contentType(ContentType.JSON)
                .header("ce-id", "e-1").header("ce-specversion", "1.0").header("ce-type", "predict")
                .header("ce-source", "/tests")
                .body(ChurnRows.request(ChurnRows.customer()))
                .post("/").then().statusCode(200).extract().response();
        assertThat(r.header("ce-type")).isEqualTo("predict.output");
        assertThat(r.header("ce-id")).isNotBlank();
        assertThat(r.jsonPath().getString("model")).isEqualTo("churn");
        assertThat(r.jsonPath().getString("version")).isEqualTo("1");
        assertThat(r.jsonPath().getList("predictions")).hasSize(1);
    }

    @Test
    void aBadCloudEventGetsTheSameErrorBody() {
        given().contentType(ContentType.JSON)
                .header("ce-id", "e-2").header("ce-specversion", "1.0").header("ce-type", "predict")
                .header("ce-source", "/tests")
                .body(ChurnRows.request(ChurnRows.with("state", "ZZ")))
                .post("/").then().statusCode(400).body("field", equalTo("rows[0].state"));
    }

    @Test
    void exposesPerVersionRequestCountsAndALatencyHistogram() {
        given().contentType(ContentType.JSON).body(ChurnRows.request(ChurnRows.batch(4))).post("/predict")
                .then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("quiver_predictions_total\\{.*model=\"churn\".*outcome=\"ok\".*version=\"1\".*} [1-9]");
        assertThat(metrics).containsPattern("quiver_prediction_seconds_bucket\\{.*model=\"churn\".*version=\"1\".*}");
        assertThat(metrics).containsPattern("quiver_prediction_rows_total\\{.*model=\"churn\".*version=\"1\".*} ([4-9]|\\d{2,})");
    }

    @Test
    void tracesEachPredictionWithModelVersionAndRowCount() {
        spans.reset();
        given().contentType(ContentType.JSON).body(ChurnRows.request(ChurnRows.batch(3))).post("/predict")
                .then().statusCode(200);
        await().untilAsserted(() -> assertThat(predictSpan()).isPresent());
        SpanData span = predictSpan().orElseThrow();
        assertThat(span.getAttributes().get(AttributeKey.stringKey("quiver.model.name"))).isEqualTo("churn");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("quiver.model.version"))).isEqualTo("1");
        assertThat(span.getAttributes().get(AttributeKey.longKey("quiver.rows"))).isEqualTo(3L);
    }

    @Test
    void aRefusedPredictionNamesItsReasonOnTheRequestSpanWithoutMarkingTheServerFailed() {
        spans.reset();
        Map<String, Object> row = ChurnRows.customer();
        row.put("favourite_colour", "red");
        given().contentType(ContentType.JSON).body(ChurnRows.request(row)).post("/predict").then().statusCode(400);
        await().untilAsserted(() -> assertThat(predictSpan()).isPresent());
        SpanData span = predictSpan().orElseThrow();
        assertThat(span.getAttributes().get(AttributeKey.stringKey("quiver.error"))).contains("favourite_colour");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("quiver.model.name"))).isNull();
    }

    @Test
    void isReadyOnceTheChampionIsLoaded() {
        given().get("/v2/health/ready").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/v2/health/live").then().statusCode(200);
    }

    private Optional<SpanData> predictSpan() {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER && s.getName().equals("POST /predict")).findFirst();
    }
}
