package dev.quiver.agent.function;

import dev.quiver.testing.security.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static dev.quiver.agent.function.TeamEnvelopes.ALERT_ON_CHURN;
import static dev.quiver.agent.function.TeamEnvelopes.DEPLOYMENT_REQUEST;
import static dev.quiver.agent.function.TeamEnvelopes.FEATURE_REQUEST;
import static dev.quiver.agent.function.TeamEnvelopes.ISSUE_ALERT;
import static dev.quiver.agent.function.TeamEnvelopes.TRACEPARENT;
import static dev.quiver.agent.function.TeamEnvelopes.withId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The agent's HTTP and CloudEvent doors with the team's envelopes, verbatim and with the fields a real exchange adds. */
@QuarkusTest
@QuarkusTestResource(value = Team.class, restrictToAnnotatedClass = true)
class AgentFunctionTest {

    @BeforeEach
    void reset() {
        Team.PREDICT_DOWN.set(false);
    }

    private static Response post(String action, String body) {
        return given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).header("traceparent", TRACEPARENT)
                .body(body).post("/" + action);
    }

    @Test
    void theTeamsDeploymentRequestIsPassedToTheDataScientistWithTheTraceItCameIn() {
        String id = "pm-" + UUID.randomUUID();
        post("model_deployment_request", withId(DEPLOYMENT_REQUEST, id)).then().statusCode(200)
                .body("action", equalTo("acknowledgement")).body("in_reply_to", equalTo(id))
                .body("outcome.status", equalTo("accepted")).body("outcome.summary", containsString("data_scientist_id"));

        await().until(() -> Team.DATA_SCIENTIST.stream().anyMatch(r -> r.body().contains(id)));
        Team.Received sent = Team.DATA_SCIENTIST.stream().filter(r -> r.body().contains(id)).findFirst().orElseThrow();
        assertThat(sent.headers()).containsEntry("ce-type", "model_deployment_request")
                .containsEntry("ce-subject", "churn_prediction_v2");
        assertThat(sent.headers().get("traceparent")).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-");
        assertThat(sent.body()).contains("\"sender\":\"quiver_ml_engineer\"", "\"correlation_id\":\"" + id + "\"",
                "\"latency\":\"< 100ms\"");
    }

    @Test
    void theTeamsFeatureRequestIsAnsweredFeatureByFeatureAndStaysOpenWhileFeaturesAreMissing() {
        String id = "de-" + UUID.randomUUID();
        post("feature_store_request", withId(FEATURE_REQUEST, id)).then().statusCode(200)
                .body("action", equalTo("feature_availability")).body("in_reply_to", equalTo(id))
                .body("availability.features.status", equalTo(List.of("missing", "missing", "missing")));
        given().auth().oauth2(TestKeys.ALL).get("/agent/feature-requests").then().statusCode(200)
                .body("find { it.message_id == '" + id + "' }.missing",
                        equalTo(List.of("user_age", "purchase_history", "last_login")));

        String known = "de-" + UUID.randomUUID();
        post("feature_store_request", withId(FEATURE_REQUEST.replace("\"user_age\", \"purchase_history\", \"last_login\"",
                "\"total_day_minutes\", \"churn_features:state\""), known)).then().statusCode(200)
                .body("availability.features.status", equalTo(List.of("available", "available")))
                .body("availability.features.type", equalTo(List.of("double", "string")));
    }

    @Test
    void theTeamsAlertRollsBackTheVersionUnderRolloutOnceAndIsAuditedUnderItsCorrelationId() {
        String id = "alert-" + UUID.randomUUID();
        String alert = withId(ALERT_ON_CHURN, id);
        int before = Team.ROLLBACKS.size();
        Response first = post("model_issue_alert", alert);
        first.then().statusCode(200).body("outcome.status", equalTo("done"))
                .body("outcome.summary", containsString("Rolled back churn version 2"));
        Response again = post("model_issue_alert", alert);
        again.then().statusCode(200);
        assertThat(again.asString()).isEqualTo(first.asString());
        assertThat(Team.ROLLBACKS).hasSize(before + 1);

        given().auth().oauth2(TestKeys.OBSERVE).queryParam("correlation_id", id).get("/agent/audit").then()
                .statusCode(200).body("event", equalTo(List.of("duplicate", "received", "acted", "received")))
                .body("trace_id[0]", equalTo("4bf92f3577b34da6a3ce929d0e0e4736"));
        given().auth().oauth2(TestKeys.OBSERVE).queryParam("model", "churn").queryParam("action", "model_issue_alert")
                .get("/agent/audit").then().statusCode(200).body("message_id", org.hamcrest.Matchers.hasItem(id));
        given().auth().oauth2(TestKeys.OBSERVE).get("/q/metrics").then().statusCode(200).body(containsString(
                "quiver_agent_messages_total{action=\"model_issue_alert\",door=\"http\",outcome=\"acted\"}"));
    }

    @Test
    void anAlertWhilePredictIsDownIsTriedAgainThenDeadLetteredWithTheReason() {
        Team.PREDICT_DOWN.set(true);
        String id = "alert-" + UUID.randomUUID();
        post("model_issue_alert", withId(ALERT_ON_CHURN, id)).then()
                .statusCode(200).body("outcome.status", equalTo("failed"))
                .body("outcome.summary", containsString("dead letter"));
        given().auth().oauth2(TestKeys.OBSERVE).get("/agent/dead-letters").then().statusCode(200)
                .body("find { it.message_id == '" + id + "' }.reason", containsString("gave up after 3 tries"));
        given().auth().oauth2(TestKeys.OBSERVE).queryParam("correlation_id", id).get("/agent/audit").then()
                .body("event", equalTo(List.of("dead_lettered", "retried", "retried", "received")));
    }

    /** A PingSource's tick, as the Broker delivers it: the agent's timers' work, counted in the answer. */
    @Test
    void aScheduleTickDeliversTheOutboxAndWatchesRolloutsWithTheWriteRole() {
        String id = "tick-" + UUID.randomUUID();
        given().header("ce-id", id).header("ce-specversion", "1.0").header("ce-type", "dev.knative.sources.ping")
                .header("ce-source", "/apis/v1/namespaces/quiver/pingsources/quiver-agent-schedule")
                .header("ce-quivertask", "agent-tick").contentType(ContentType.JSON).body("{}").post("/").then()
                .statusCode(401);
        given().auth().oauth2(TestKeys.ALL).header("ce-id", id).header("ce-specversion", "1.0")
                .header("ce-type", "dev.knative.sources.ping")
                .header("ce-source", "/apis/v1/namespaces/quiver/pingsources/quiver-agent-schedule")
                .header("ce-quivertask", "agent-tick").contentType(ContentType.JSON).body("{}").post("/").then()
                .statusCode(200).header("ce-type", "agent.ticked").header("ce-source", "/quiver/agent")
                .body("delivered", org.hamcrest.Matchers.greaterThanOrEqualTo(0))
                .body("rollouts_ended", org.hamcrest.Matchers.greaterThanOrEqualTo(0));
    }

    @Test
    void aCloudEventIsAnsweredWithACloudEventOfTheAnswer() {
        String id = "ce-" + UUID.randomUUID();
        given().auth().oauth2(TestKeys.ALL).header("ce-id", id).header("ce-specversion", "1.0")
                .header("ce-type", "feature_store_request").header("ce-source", "/team/data-engineer")
                .contentType(ContentType.JSON).body(FEATURE_REQUEST).post("/").then().statusCode(200)
                .header("ce-type", "feature_availability").body("in_reply_to", equalTo(id));
        given().auth().oauth2(TestKeys.OBSERVE).queryParam("correlation_id", id).get("/agent/audit").then()
                .body("door[0]", equalTo("cloudevent"));
    }

    @Test
    void badMessagesAre4xxNamingTheProblemAndNothingIsDone() {
        int rollbacks = Team.ROLLBACKS.size();
        post("model_issue_alert", ISSUE_ALERT.replace("\"recipient\": \"project_manager_id\",", "")).then()
                .statusCode(400).body(containsString("recipient"));
        post("model_issue_alert", ISSUE_ALERT.replace("\"severity\": \"high\"", "\"severity\": 3")).then()
                .statusCode(400).body(containsString("issue.severity"));
        post("model_issue_alert", "{\"action\": \"model_retirement_request\", \"recipient\": \"x\"}").then()
                .statusCode(400).body(containsString("action"));
        post("model_issue_alert", DEPLOYMENT_REQUEST).then().statusCode(400)
                .body(containsString("send it to model_deployment_request"));
        post("model_deployment_request", DEPLOYMENT_REQUEST.replace("\"request\"", "\"requests\"")).then()
                .statusCode(400).body(containsString("request"));
        post("model_deployment_request", DEPLOYMENT_REQUEST.replace("< 100ms", "fast please")).then()
                .statusCode(400).body(containsString("request.requirements.latency"), containsString("fast please"));
        String huge = ISSUE_ALERT.replace("Investigating data drift", "x".repeat(10 * 1024 * 1024));
        post("model_issue_alert", huge).then().statusCode(413);
        assertThat(Team.ROLLBACKS).hasSize(rollbacks);
    }

    @Test
    void aModelFromOutsideTheAllowedStoresIsRefusedBeforeAnythingIsFetched() {
        String delivery = """
                {"action": "model_delivery", "sender": "data_scientist_id", "recipient": "quiver_ml_engineer",
                 "in_reply_to": "q-1", "correlation_id": "c-1",
                 "delivery": {"model_id": "churn", "version": "7", "format": "onnx",
                              "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                              "artifact": {"uri": "%s"}}}""";
        post("model_delivery", delivery.formatted("http://169.254.169.254/latest/model.onnx")).then().statusCode(400)
                .body(containsString("delivery.artifact.uri"), containsString("outside the allowed stores"));
        Path store = Team.state.resolve("store");
        post("model_delivery", delivery.formatted(store.toUri() + "../escape/model.onnx")).then().statusCode(400)
                .body(containsString("delivery.artifact.uri"));
        post("model_delivery", delivery.formatted(store.toUri() + "churn/7/model.onnx").replace("onnx\",", "pmml\","))
                .then().statusCode(400).body(containsString("delivery.format"));
        given().auth().oauth2(TestKeys.OBSERVE).get("/agent/tasks").then().statusCode(200)
                .body("findAll { it.correlation_id == 'c-1' }.size()", equalTo(0));
    }

    @Test
    void aDeliveryWhoseDigestDoesNotMatchEndsItsTaskRefusedNamingBothDigests() throws Exception {
        Path dir = Team.state.resolve("store/churn/8");
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
        Files.writeString(dir.resolve("descriptor.json"), "{}");
        String id = "d-" + UUID.randomUUID();
        Response r = post("model_delivery", withId("""
                {"action": "model_delivery", "sender": "data_scientist_id", "recipient": "quiver_ml_engineer",
                 "in_reply_to": "q-1", "correlation_id": "c-8",
                 "delivery": {"model_id": "churn", "version": "8", "format": "onnx",
                              "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                              "artifact": {"uri": "%s"}}}""".formatted(dir.resolve("model.onnx").toUri()), id));
        r.then().statusCode(200).body("outcome.status", equalTo("accepted"));
        String task = r.path("outcome.details.task_id");
        await().until(() -> !given().auth().oauth2(TestKeys.OBSERVE).get("/agent/tasks/" + task).path("state")
                .equals("working"));
        given().auth().oauth2(TestKeys.OBSERVE).get("/agent/tasks/" + task).then().statusCode(200)
                .body("state", equalTo("rejected"))
                .body("answer.outcome.summary", containsString("delivery.sha256"))
                .body("answer.outcome.summary", containsString("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81"));
        await().until(() -> Team.DATA_SCIENTIST.stream().anyMatch(x -> x.body().contains("\"in_reply_to\":\"" + id)));
        given().auth().oauth2(TestKeys.DEPLOY).post("/agent/tasks/" + task + "/cancel").then().statusCode(409);
        given().auth().oauth2(TestKeys.OBSERVE).get("/agent/tasks/nope").then().statusCode(404);
    }
}
