package dev.quiver.drift.function;

import dev.quiver.agent.DeploymentRequest;
import dev.quiver.agent.Messages;
import dev.quiver.testing.http.RecordingEndpoint;
import dev.quiver.testing.quarkus.CloudEventReceiver;
import dev.quiver.testing.security.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Every case of {@link DriftFunctionCases}, with the captured window in the embedded directory store; and what the
 * function sends its team, as it arrives at a CloudEvent sink.
 */
@QuarkusTest
@QuarkusTestResource(value = CapturedWindow.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = CloudEventReceiver.class, restrictToAnnotatedClass = true)
class DriftFunctionTest extends DriftFunctionCases {

    private static final DeploymentRequest.Requirements CHURN_SLA =
            new DeploymentRequest.Requirements("p99 <= 100 ms", "1000 req/s", "ONNX");

    /** Runs after the ordered cases: the first evaluation's estimated accuracy drop started an incident. */
    @Test
    void anAccuracyIncidentSendsTheDataScientistADeploymentRequestUnderItsCorrelationId() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !CloudEventReceiver.ofType("model_deployment_request").isEmpty());
        RecordingEndpoint.Request sent = CloudEventReceiver.ofType("model_deployment_request").get(0);
        DeploymentRequest request = (DeploymentRequest) Messages.parse(sent.body());
        assertThat(sent.headers()).containsEntry("ce-subject", "churn").containsEntry("ce-source", "/quiver")
                .containsEntry("ce-id", request.header().messageId());
        assertThat(request.header().recipient()).isEqualTo("data_scientist_id");
        assertThat(request.header().sender()).isEqualTo("quiver_ml_engineer");
        assertThat(request.request().requirements()).isEqualTo(CHURN_SLA);
        assertThat(CloudEventReceiver.ofType("model_issue_alert")).extracting(r -> Messages.parse(r.body()))
                .anySatisfy(a -> assertThat(a.header().correlationId()).isEqualTo(request.header().correlationId()));
        given().get("/alerts").then().statusCode(200).body("requests[-1].action", equalTo("model_deployment_request"));
    }

    @Test
    void anOperatorAsksForARetrainedModelWithTheDeployRole() {
        given().contentType(ContentType.JSON).body("{}").post("/drift/models/churn/retraining-request").then()
                .statusCode(401);
        given().auth().oauth2(TestKeys.OBSERVE).contentType(ContentType.JSON).body("{}")
                .post("/drift/models/churn/retraining-request").then().statusCode(403);
        given().auth().oauth2(TestKeys.DEPLOY).contentType(ContentType.JSON).body(Map.of("correlation_id", "op-1"))
                .post("/drift/models/nope/retraining-request").then().statusCode(404).body("field", equalTo("model"));

        String answer = given().auth().oauth2(TestKeys.DEPLOY).contentType(ContentType.JSON)
                .body(Map.of("correlation_id", "op-1")).post("/drift/models/churn/retraining-request").then()
                .statusCode(202).body("action", equalTo("model_deployment_request"))
                .body("correlation_id", equalTo("op-1")).extract().asString();

        DeploymentRequest asked = (DeploymentRequest) Messages.parse(answer);
        assertThat(asked.request().requirements()).isEqualTo(CHURN_SLA);
        await().atMost(Duration.ofSeconds(10)).until(() -> CloudEventReceiver.ofType("model_deployment_request")
                .stream().anyMatch(r -> r.headers().get("ce-id").equals(asked.header().messageId())));
    }
}
