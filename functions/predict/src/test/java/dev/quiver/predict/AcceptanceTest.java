package dev.quiver.predict;

import dev.quiver.registry.ModelRegistry;
import dev.quiver.testing.files.Repository;
import dev.quiver.testing.quarkus.TempModelStore;
import dev.quiver.testing.security.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A delivered model offered for acceptance over HTTP, on the churn demo model: measured in the function before it is
 * registered, then registered as the challenger with its canary started, or refused with nothing registered; and
 * every kind of bad delivery answered 400 naming the field. A function of its own (a test resource restricted to this
 * class restarts it with fresh stores), so that the versions it registers reach no other test.
 */
@QuarkusTest
@QuarkusTestResource(value = AcceptanceTest.Store.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AcceptanceTest {

    /** Fresh stores, for this class alone. */
    public static class Store extends TempModelStore {
    }

    private static final String CANDIDATES = "/registry/models/churn/candidates";

    /** The churn model delivered with its descriptor and its digest, by a deployer. */
    private static RequestSpecification delivery(byte[] onnx) throws Exception {
        return given().auth().oauth2(TestKeys.DEPLOY)
                .multiPart("model", "model.onnx", onnx, "application/octet-stream")
                .multiPart("descriptor", TestModels.json(TestModels.churnDescriptor()), "application/json")
                .multiPart("sha256", ModelRegistry.sha256(onnx))
                .multiPart("by", "data-scientist@example.com");
    }

    private static List<String> versions() {
        return given().get("/registry/models/churn").jsonPath().getList("versions", String.class);
    }

    @Test
    @Order(1)
    void anImpossibleLatencyIsRefusedAndNothingIsRegistered() throws Exception {
        Response r = delivery(TestModels.churnOnnx()).multiPart("latency_p99_ms", "0.001").post(CANDIDATES);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getString("decision")).isEqualTo("refused");
        assertThat(r.jsonPath().getString("reason"))
                .contains("latency_p99_ms: measured p99 ").contains("is over the required 0.001 ms");
        assertThat(r.jsonPath().getString("version")).isNull();
        assertThat(r.jsonPath().getLong("measured.requests")).isPositive();
        assertThat(r.jsonPath().getDouble("measured.p99_ms")).isGreaterThanOrEqualTo(
                r.jsonPath().getDouble("measured.p50_ms"));
        assertThat(r.jsonPath().getDouble("measured.duration_s")).isGreaterThanOrEqualTo(0.3);
        assertThat(r.jsonPath().getInt("measured.concurrency")).as("quiver.acceptance.concurrency").isEqualTo(1);
        // the unstated bound is the catalog's sla
        assertThat(r.jsonPath().getDouble("required.p99_ms")).isEqualTo(0.001);
        assertThat(r.jsonPath().getDouble("required.requests_per_second")).isEqualTo(1000.0);
        assertThat(versions()).containsExactly("1");
        given().get("/rollouts/churn").then().statusCode(404);
    }

    @Test
    @Order(2)
    void aDigestThatDiffersIs400WithBothDigests() throws Exception {
        byte[] onnx = TestModels.churnOnnx();
        String wrong = ModelRegistry.sha256(new byte[] {1, 2, 3});
        given().auth().oauth2(TestKeys.DEPLOY).multiPart("model", "model.onnx", onnx, "application/octet-stream")
                .multiPart("descriptor", TestModels.json(TestModels.churnDescriptor()), "application/json")
                .multiPart("sha256", wrong).post(CANDIDATES)
                .then().statusCode(400).body("field", equalTo("sha256"))
                .body("reason", containsString(ModelRegistry.sha256(onnx))).body("reason", containsString(wrong));
        assertThat(versions()).containsExactly("1");
    }

    @Test
    @Order(3)
    void aModelThatDoesNotLoadIsRefusedWithTheReason() throws Exception {
        Response notOnnx = delivery("not a model".getBytes()).post(CANDIDATES);
        assertThat(notOnnx.statusCode()).as(notOnnx.asString()).isEqualTo(200);
        assertThat(notOnnx.jsonPath().getString("decision")).isEqualTo("refused");
        assertThat(notOnnx.jsonPath().getString("reason")).startsWith("refused: the model does not load: model: ");
        assertThat(notOnnx.jsonPath().getMap("measured")).isNull();

        // an ONNX model whose graph takes 3 features where the descriptor declares churn's
        Response misfit = delivery(TestModels.logistic(new float[] {1f, 1f, 1f}, 0f)).post(CANDIDATES);
        assertThat(misfit.jsonPath().getString("decision")).as(misfit.asString()).isEqualTo("refused");
        assertThat(misfit.jsonPath().getString("reason")).contains("does not load");
        assertThat(versions()).containsExactly("1");
    }

    @Test
    @Order(4)
    void badDeliveriesAre400NamingTheField() throws Exception {
        byte[] onnx = TestModels.churnOnnx();
        String descriptor = TestModels.json(TestModels.churnDescriptor());
        String sha = ModelRegistry.sha256(onnx);
        given().auth().oauth2(TestKeys.DEPLOY).multiPart("descriptor", descriptor, "application/json")
                .multiPart("sha256", sha).post(CANDIDATES).then().statusCode(400).body("field", equalTo("model"));
        given().auth().oauth2(TestKeys.DEPLOY).multiPart("model", "model.onnx", onnx, "application/octet-stream")
                .multiPart("sha256", sha).post(CANDIDATES).then().statusCode(400).body("field", equalTo("descriptor"));
        given().auth().oauth2(TestKeys.DEPLOY).multiPart("model", "model.onnx", onnx, "application/octet-stream")
                .multiPart("descriptor", descriptor, "application/json").post(CANDIDATES)
                .then().statusCode(400).body("field", equalTo("sha256"));
        given().auth().oauth2(TestKeys.DEPLOY).multiPart("model", "model.onnx", onnx, "application/octet-stream")
                .multiPart("descriptor", "{\"inputs\": 7}", "application/json").multiPart("sha256", sha)
                .post(CANDIDATES).then().statusCode(400).body("field", equalTo("descriptor"));
        delivery(onnx).multiPart("latency_p99_ms", "fast").post(CANDIDATES)
                .then().statusCode(400).body("field", equalTo("latency_p99_ms"));
        delivery(onnx).multiPart("requests_per_second", "-3").post(CANDIDATES)
                .then().statusCode(400).body("field", equalTo("requests_per_second"));
        // registering a version needs the deploy role; so does offering one
        given().auth().oauth2(TestKeys.INVOKE).multiPart("model", "model.onnx", onnx, "application/octet-stream")
                .multiPart("descriptor", descriptor, "application/json").multiPart("sha256", sha)
                .post(CANDIDATES).then().statusCode(403);
        assertThat(versions()).containsExactly("1");
    }

    @Test
    @Order(5)
    void anAcceptedCandidateIsTheNewChallengerOfARunningCanary() throws Exception {
        byte[] profile = Files.readAllBytes(Repository.root().resolve("config/models/churn/1/reference-profile.json"));
        Response r = delivery(TestModels.churnOnnx()).multiPart("latency_p99_ms", "1000")
                .multiPart("requests_per_second", "1")
                .multiPart("reference_profile", "reference-profile.json", profile, "application/json")
                .post(CANDIDATES);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.header("Location")).endsWith("/registry/models/churn/versions/2");
        assertThat(r.jsonPath().getString("decision")).isEqualTo("accepted");
        assertThat(r.jsonPath().getString("version")).isEqualTo("2");
        assertThat(r.jsonPath().getString("reason")).contains("registered as version 2, alias 'challenger'")
                .contains("canary rollout churn/2-");
        assertThat(r.jsonPath().getLong("measured.errors")).isZero();
        assertThat(r.jsonPath().getDouble("measured.requests_per_second")).isPositive();
        assertThat(r.jsonPath().getString("rollout.rollout.status")).isEqualTo("RUNNING");
        assertThat(r.jsonPath().getString("rollout.rollout.challenger_version")).isEqualTo("2");

        assertThat(versions()).containsExactly("1", "2");
        given().get("/registry/models/churn").then().body("aliases.challenger", equalTo("2"))
                .body("aliases.champion", equalTo("1"));
        given().get("/rollouts/churn").then().statusCode(200).body("rollout.challenger_version", equalTo("2"))
                .body("rollout.events[0].by", containsString("for data-scientist@example.com"));
        given().get("/registry/models/churn/versions/2").then().statusCode(200)
                .body("sha256", equalTo(ModelRegistry.sha256(TestModels.churnOnnx())));

        // another delivery waits for this rollout to finish
        delivery(TestModels.churnOnnx()).post(CANDIDATES).then().statusCode(409).body("field", equalTo("model"));
        given().auth().oauth2(TestKeys.DEPLOY).contentType("application/json").body(Map.of("reason", "test over"))
                .post("/rollouts/churn/rollback").then().statusCode(200);
    }
}
