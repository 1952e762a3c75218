package dev.quiver.predict;

import dev.quiver.testing.quarkus.TempModelStore;
import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every Open Inference Protocol endpoint, its answers validated against the protocol's own OpenAPI
 * description ({@code src/test/resources/open-inference-protocol/open_inference_rest.yaml}, a copy of the
 * kserve/open-inference-protocol file).
 *
 * <p>The description writes path parameters as {@code ${MODEL_NAME}} and the server metadata path as
 * {@code /v2/}; they are read as the OpenAPI templates {@code {MODEL_NAME}} and {@code /v2}. It describes
 * only versioned model paths; a path without a version answers with the same schema and is validated against
 * the versioned operation. It defines one error shape ({@code inference_error_response}, on 400 of infer);
 * every error answer is validated against that shape.
 */
@QuarkusTest
@QuarkusTestResource(TempModelStore.class)
class OipSpecTest {

    static OpenApiInteractionValidator validator;

    @BeforeAll
    static void loadSpec() throws Exception {
        String text;
        try (var in = OipSpecTest.class.getResourceAsStream("/open-inference-protocol/open_inference_rest.yaml")) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        text = text.replace("${", "{").replace("  /v2/:", "  /v2:");
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(text).build();
    }

    @Test
    void serverMetadata() {
        assertValid("/v2", given().get("/v2"), 200);
    }

    @Test
    void liveAndReady() {
        assertValid("/v2/health/live", given().get("/v2/health/live"), 200);
        assertValid("/v2/health/ready", given().get("/v2/health/ready"), 200);
    }

    @Test
    void modelMetadataWithAndWithoutVersion() {
        Response versioned = given().get("/v2/models/churn/versions/1");
        assertValid("/v2/models/churn/versions/1", versioned, 200);
        assertThat(versioned.jsonPath().getList("inputs.name")).containsExactly("features");
        assertThat(versioned.jsonPath().getList("inputs[0].shape")).containsExactly(-1, 73);
        assertThat(versioned.jsonPath().getList("outputs.name")).containsExactlyInAnyOrder("label", "probabilities");
        assertValid("/v2/models/churn/versions/1", given().get("/v2/models/churn"), 200);
    }

    @Test
    void modelReadyWithAndWithoutVersion() {
        assertValid("/v2/models/churn/versions/1/ready", given().get("/v2/models/churn/versions/1/ready"), 200);
        assertValid("/v2/models/churn/versions/1/ready", given().get("/v2/models/churn/ready"), 200);
    }

    @Test
    void inferTakesTensorsAsTheyAreAndAgreesWithTheJsonApi() {
        double[] row = new double[73];
        row[16] = 1; // state KS is the 17th category
        double[] numbers = {128, 0, 1, 0, 0, 0, 1, 25, 265.1, 110, 45.07, 197.4, 99, 16.78, 244.7, 91, 11.01, 10, 3, 2.7, 1};
        // layout: state(51) account_length area_code(3) international_plan(2) voice_mail_plan(2) then 14 numbers
        row[51] = 128;
        row[53] = 1;               // area_code_415
        row[55] = 1;               // international_plan = no
        row[58] = 1;               // voice_mail_plan = yes
        System.arraycopy(numbers, 7, row, 59, 14);
        Map<String, Object> body = Map.of("id", "oip-1", "inputs", List.of(Map.of("name", "features",
                "shape", List.of(1, 73), "datatype", "FP64", "data", row)));
        Response r = given().contentType(ContentType.JSON).body(body).post("/v2/models/churn/versions/1/infer");
        assertValid("/v2/models/churn/versions/1/infer", r, 200, Request.Method.POST);
        assertThat(r.jsonPath().getString("model_name")).isEqualTo("churn");
        assertThat(r.jsonPath().getString("model_version")).isEqualTo("1");
        assertThat(r.jsonPath().getString("id")).isEqualTo("oip-1");
        float yes = r.jsonPath().getFloat("outputs.find { it.name == 'probabilities' }.data[1]");
        float viaJson = given().contentType(ContentType.JSON).body(ChurnRows.request(ChurnRows.customer()))
                .post("/predict").jsonPath().getFloat("predictions[0].probabilities.yes");
        assertThat(yes).isCloseTo(viaJson, within(1e-6f));

        Response unversioned = given().contentType(ContentType.JSON)
                .body(Map.of("inputs", List.of(Map.of("name", "features", "shape", List.of(1, 73), "datatype", "FP64",
                        "data", row)), "outputs", List.of(Map.of("name", "probabilities"))))
                .post("/v2/models/churn/infer");
        assertValid("/v2/models/churn/versions/1/infer", unversioned, 200, Request.Method.POST);
        assertThat(unversioned.jsonPath().getList("outputs.name")).containsExactly("probabilities");
    }

    @Test
    void errorsHaveTheProtocolsErrorShape() {
        Response badShape = given().contentType(ContentType.JSON).body(Map.of("inputs", List.of(Map.of("name", "features",
                "shape", List.of(1, 3), "datatype", "FP64", "data", List.of(1, 2, 3))))).post("/v2/models/churn/infer");
        assertThat(badShape.statusCode()).isEqualTo(400);
        assertValid("/v2/models/churn/versions/1/infer", badShape, 400, Request.Method.POST);
        Response unknown = given().get("/v2/models/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertValidError(unknown);
        Response unknownVersion = given().get("/v2/models/churn/versions/42/ready");
        assertThat(unknownVersion.statusCode()).isEqualTo(404);
        assertValidError(unknownVersion);
    }

    private static void assertValid(String path, Response r, int status) {
        assertValid(path, r, status, Request.Method.GET);
    }

    private static void assertValid(String path, Response r, int status, Request.Method method) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        SimpleResponse.Builder answer = SimpleResponse.Builder.status(r.statusCode());
        if (!r.asString().isEmpty()) {
            answer.withContentType("application/json").withBody(r.asString());
        }
        ValidationReport report = validator.validateResponse(path, method, answer.build());
        assertThat(report.getMessages()).as(path + " " + r.asString()).isEmpty();
    }

    /** An error answer checked against the one error schema the protocol defines (400 of infer). */
    private static void assertValidError(Response r) {
        ValidationReport report = validator.validateResponse("/v2/models/churn/versions/1/infer", Request.Method.POST,
                SimpleResponse.Builder.status(400).withContentType("application/json").withBody(r.asString()).build());
        assertThat(report.getMessages()).as(r.asString()).isEmpty();
        assertThat(r.jsonPath().getString("error")).isNotBlank();
    }
}
