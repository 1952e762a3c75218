package dev.quiver.predict;

import dev.quiver.testing.http.RecordingEndpoint;
import dev.quiver.testing.quarkus.CloudEventReceiver;
import dev.quiver.testing.quarkus.TempModelStore;
import dev.quiver.testing.security.TestKeys;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Messages;
import dev.quiver.agent.Severity;
import dev.quiver.json.Json;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Rollouts over HTTP on real ONNX models: two versions of a logistic regression whose scores differ, a canary
 * that routes by key and is rolled back by its score-divergence gate (with the alert delivered to a real HTTP
 * receiver as a CloudEvent), blue-green switched and switched back by hand, a promotion that moves the champion
 * alias, A/B outcomes, and every kind of bad request.
 */
@QuarkusTest
@QuarkusTestResource(TempModelStore.class)
@QuarkusTestResource(CloudEventReceiver.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutTest {

    private static Map<String, Object> row(double x) {
        return Map.of("x0", x);
    }

    private static Response predict(String key) {
        Map<String, Object> body = new HashMap<>();
        body.put("model", "toy");
        body.put("rows", List.of(row(0.3)));
        if (key != null) {
            body.put("key", key);
        }
        return given().contentType(ContentType.JSON).body(body).post("/predict");
    }

    private static Response start(Map<String, Object> policy) {
        return given().auth().oauth2(TestKeys.DEPLOY).contentType(ContentType.JSON).body(policy).put("/rollouts/toy");
    }

    @Test
    @Order(1)
    void twoVersionsWithDifferentScores() throws Exception {
        for (float bias : new float[] {0f, 2f}) {
            given().auth().oauth2(TestKeys.ALL).multiPart("model", "model.onnx", TestModels.logistic(new float[] {1f}, bias), "application/octet-stream")
                    .multiPart("descriptor", TestModels.json(TestModels.logisticDescriptor(1)), "application/json")
                    .post("/registry/models/toy/versions").then().statusCode(201);
        }
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(Map.of("version", "1")).put("/registry/models/toy/aliases/champion")
                .then().statusCode(200);
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(Map.of("version", "2")).put("/registry/models/toy/aliases/challenger")
                .then().statusCode(200);
        given().get("/rollouts/toy").then().statusCode(404).body("field", equalTo("model"));
    }

    @Test
    @Order(2)
    void aCanaryRoutesByKeyAndItsDivergenceGateRollsItBackWithAnAlert() throws Exception {
        // 20 requests make a noisy p99 on a test JVM: this test is about the score gate, so the latency gate is wide
        Response started = start(Map.of("strategy", "canary", "steps", List.of(50, 100), "min_requests", 20,
                "min_duration", "PT0S", "gates", Map.of("max_p99_latency_ratio", 100, "max_score_divergence", 0.1)));
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(201);
        String id = started.jsonPath().getString("rollout.id");
        assertThat(id).startsWith("toy/2-");
        assertThat(started.jsonPath().getInt("rollout.weight_basis_points")).isEqualTo(5000);
        // paused, the weights hold and the gates wait: stickiness can be watched without the gates acting
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body("{}").post("/rollouts/toy/pause").then().statusCode(200);

        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            Response r = predict("user-" + i);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.jsonPath().getString("rollout")).isEqualTo(id);
            seen.put("user-" + i, r.jsonPath().getString("version"));
            assertThat(r.jsonPath().getString("predictions[0].version")).isEqualTo(seen.get("user-" + i));
        }
        assertThat(seen.values()).contains("1", "2");
        seen.forEach((k, v) -> predict(k).then().body("version", equalTo(v)));
        // pinned: no rollout
        given().contentType(ContentType.JSON).body(Map.of("model", "toy", "version", "2", "rows", List.of(row(0.3))))
                .post("/predict").then().statusCode(200).body("version", equalTo("2"))
                .body("rollout", org.hamcrest.Matchers.nullValue());

        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body("{}").post("/rollouts/toy/resume").then().statusCode(200);
        for (int i = 0; i < 60; i++) {
            predict("more-" + i).then().statusCode(200);
        }
        // the ticker applies the gates: version 2 scores about 0.4 higher than version 1, above the allowed 0.1
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().get("/rollouts/toy").then().body("rollout.status", equalTo("ROLLED_BACK")));
        Response view = given().get("/rollouts/toy");
        List<Map<String, Object>> events = view.jsonPath().getList("rollout.events");
        assertThat(events.get(0).get("by")).as("the subject of the key that started it").isEqualTo("test-deploy");
        assertThat((String) events.get(events.size() - 1).get("why")).startsWith("mean score");
        assertThat(events.get(events.size() - 1).get("by")).isEqualTo("gates");
        for (int i = 0; i < 10; i++) {
            predict("user-" + i).then().body("version", equalTo("1")).body("rollout", org.hamcrest.Matchers.nullValue());
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> !CloudEventReceiver.RECEIVED.isEmpty());
        RecordingEndpoint.Request alert = CloudEventReceiver.RECEIVED.get(0);
        assertThat(alert.headers()).containsEntry("ce-type", "model_issue_alert").containsEntry("ce-specversion", "1.0")
                .containsEntry("ce-subject", "toy:2").containsEntry("content-type", "application/json");
        // the body is the team's envelope, addressed by config/agents.yaml, as the recipient reads it
        IssueAlert envelope = (IssueAlert) Messages.parse(alert.body());
        assertThat(envelope.header().recipient()).isEqualTo("project_manager_id");
        assertThat(envelope.header().sender()).isEqualTo("quiver_ml_engineer");
        assertThat(envelope.header().correlationId()).isNotBlank();
        assertThat(envelope.issue().modelId()).isEqualTo("toy");
        assertThat(envelope.issue().details().get("version").asText()).isEqualTo("2");
        assertThat(envelope.issue().severity()).isEqualTo(Severity.HIGH);
        assertThat(envelope.issue().action()).isEqualTo("Rolled back toy version 2: traffic is back on version 1");
        assertThat(envelope.issue().issue()).contains("mean score");
        assertThat(alert.headers().get("ce-id")).isEqualTo(envelope.header().messageId());
        Response listed = given().get("/alerts");
        listed.then().statusCode(200).body("delivered", equalTo(1));
        assertThat(Json.MAPPER.readTree(listed.asString()).get("alerts").get(0))
                .isEqualTo(Json.MAPPER.readTree(alert.body()));
    }

    @Test
    @Order(3)
    void blueGreenSwitchesEverythingAndSwitchesBackByHand() {
        start(Map.of("strategy", "blue-green", "min_requests", 1_000_000)).then().statusCode(201)
                .body("rollout.weight_basis_points", equalTo(10_000));
        for (int i = 0; i < 10; i++) {
            predict(null).then().body("version", equalTo("2"));
        }
        given().auth().oauth2(TestKeys.DEPLOY).contentType(ContentType.JSON)
                .body(Map.of("reason", "support tickets up")).post("/rollouts/toy/rollback").then().statusCode(200)
                .body("rollout.status", equalTo("ROLLED_BACK")).body("rollout.events[-1].by", equalTo("test-deploy"))
                .body("rollout.events[-1].why", equalTo("support tickets up"));
        for (int i = 0; i < 10; i++) {
            predict(null).then().body("version", equalTo("1"));
        }
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body("{}").post("/rollouts/toy/rollback").then().statusCode(409)
                .body("field", equalTo("status"));
    }

    @Test
    @Order(4)
    void anAbTestTakesOutcomesAndReportsPerArm() {
        Response ab = start(Map.of("strategy", "ab", "ab", Map.of("challenger_percent", 50, "horizon", "PT1H",
                "metric", "accuracy")));
        assertThat(ab.statusCode()).as(ab.asString()).isEqualTo(201);
        int outcomes = 0;
        for (int i = 0; i < 30; i++) {
            Response r = predict("k" + i);
            given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(Map.of("request_id", r.jsonPath().getString("request_id"),
                    "outcome", "yes")).post("/rollouts/toy/feedback").then().statusCode(202);
            outcomes++;
        }
        Response view = given().get("/rollouts/toy");
        assertThat(view.jsonPath().getLong("ab.champion_samples") + view.jsonPath().getLong("ab.challenger_samples"))
                .isEqualTo(outcomes);
        assertThat(view.jsonPath().getString("ab.metric")).isEqualTo("accuracy");
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(Map.of("request_id", "nobody", "outcome", "yes"))
                .post("/rollouts/toy/feedback").then().statusCode(404).body("field", equalTo("request_id"));
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(Map.of("request_id", "x", "outcome", true))
                .post("/rollouts/toy/feedback").then().statusCode(404);
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(Map.of("request_id", "x")).post("/rollouts/toy/feedback")
                .then().statusCode(400).body("field", equalTo("outcome"));
    }

    @Test
    @Order(5)
    void aPromotionMovesTheChampionAlias() {
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body("{}").post("/rollouts/toy/pause").then().statusCode(200)
                .body("rollout.status", equalTo("PAUSED"));
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body("{}").post("/rollouts/toy/resume").then().statusCode(200)
                .body("rollout.status", equalTo("RUNNING"));
        start(Map.of("strategy", "canary")).then().statusCode(409).body("field", equalTo("model"));
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(Map.of("reason", "the A/B test says so"))
                .post("/rollouts/toy/promote").then().statusCode(200).body("rollout.status", equalTo("PROMOTED"));
        given().get("/registry/models/toy").then().body("aliases.champion", equalTo("2"));
        predict("anyone").then().body("version", equalTo("2")).body("rollout", org.hamcrest.Matchers.nullValue());
        // version 1 back as champion for the tests after this one
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(Map.of("version", "1")).put("/registry/models/toy/aliases/champion")
                .then().statusCode(200);
    }

    @Test
    @Order(6)
    void badRolloutRequestsAreRefusedNamingTheField() {
        start(Map.of("strategy", "linear")).then().statusCode(400).body("field", equalTo("rollout.strategy"));
        start(Map.of("strategy", "canary", "steps", List.of(50, 25, 100))).then().statusCode(400)
                .body("field", equalTo("rollout.steps[1]"));
        start(Map.of("strategy", "canary", "gates", Map.of("max_p99_latency_ratio", 0.5))).then().statusCode(400)
                .body("field", equalTo("rollout.gates.max_p99_latency_ratio"));
        start(Map.of("strategy", "canary", "challenger", "champion")).then().statusCode(400)
                .body("field", equalTo("rollout.challenger"));
        start(Map.of("strategy", "canary", "min_duration", "ten minutes")).then().statusCode(400)
                .body("field", equalTo("rollout.min_duration"));
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(Map.of("strategy", "canary")).put("/rollouts/nope").then()
                .statusCode(404);
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body("{\"strategy\": ").put("/rollouts/toy").then().statusCode(400);
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body("{}").put("/rollouts/toy").then().statusCode(400)
                .body("field", equalTo("policy"));
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body("{}").post("/rollouts/nope/promote").then().statusCode(404);
    }
}
