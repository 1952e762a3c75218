package dev.quiver.predict;

import dev.quiver.testing.files.Repository;
import dev.quiver.testing.quarkus.TempModelStore;
import dev.quiver.testing.security.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * The registry over HTTP, in the order an ML engineer uses it: register a challenger, try it by version,
 * move the champion alias to it, move it back; and serve a model that is not the demo (a logistic regression
 * with one FP32 input, as scikit-learn exports it) through both APIs. No restart anywhere.
 */
@QuarkusTest
@QuarkusTestResource(TempModelStore.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryTest {

    @Test
    @Order(1)
    void listsTheCatalogsModel() {
        given().get("/registry/models").then().statusCode(200)
                .body("name", hasItems("churn")).body("find { it.name == 'churn' }.versions", equalTo(List.of("1")))
                .body("find { it.name == 'churn' }.aliases.champion", equalTo("1"));
        given().get("/registry/models/churn/versions/1").then().statusCode(200)
                .body("metrics.auc", org.hamcrest.Matchers.greaterThanOrEqualTo(0.88f))
                .body("input.datatype", equalTo("FP64")).body("labels", equalTo(List.of("no", "yes")));
    }

    @Test
    @Order(2)
    void registersAChallengerAndMovesTheChampionWithoutARestart() throws Exception {
        Response created = given().auth().oauth2(TestKeys.ALL).multiPart("model", "model.onnx", TestModels.churnOnnx(), "application/octet-stream")
                .multiPart("descriptor", TestModels.json(TestModels.churnDescriptor()), "application/json")
                .post("/registry/models/churn/versions");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.jsonPath().getString("version")).isEqualTo("2");
        assertThat(created.jsonPath().getString("sha256")).isEqualTo(
                dev.quiver.registry.ModelRegistry.sha256(TestModels.churnOnnx()));
        assertThat(created.header("Location")).endsWith("/registry/models/churn/versions/2");

        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(Map.of("version", "2"))
                .put("/registry/models/churn/aliases/challenger").then().statusCode(200)
                .body("aliases.challenger", equalTo("2")).body("aliases.champion", equalTo("1"));
        Map<String, Object> toChallenger = ChurnRows.request(ChurnRows.customer());
        toChallenger.put("alias", "challenger");
        given().contentType(ContentType.JSON).body(toChallenger).post("/predict").then().statusCode(200)
                .body("version", equalTo("2"));

        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(Map.of("version", "2"))
                .put("/registry/models/churn/aliases/champion").then().statusCode(200)
                .body("aliases.champion", equalTo("2"));
        given().contentType(ContentType.JSON).body(ChurnRows.request(ChurnRows.customer())).post("/predict")
                .then().statusCode(200).body("version", equalTo("2"));
        given().get("/v2/models/churn/ready").then().statusCode(200);

        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put("/registry/models/churn/aliases/champion").then().statusCode(200);
        given().contentType(ContentType.JSON).body(ChurnRows.request(ChurnRows.customer())).post("/predict")
                .then().statusCode(200).body("version", equalTo("1"));
        given().auth().oauth2(TestKeys.ALL).delete("/registry/models/churn/aliases/challenger").then().statusCode(200)
                .body("aliases.challenger", org.hamcrest.Matchers.nullValue());
    }

    @Test
    @Order(3)
    void anAliasCannotPointAtAVersionThatDoesNotExist() {
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(Map.of("version", "77"))
                .put("/registry/models/churn/aliases/champion").then().statusCode(404).body("field", equalTo("version"));
        given().get("/registry/models/churn").then().body("aliases.champion", equalTo("1"));
    }

    @Test
    @Order(4)
    void versionsAreImmutable() throws Exception {
        var d = TestModels.churnDescriptor();
        var v1 = new dev.quiver.model.ModelDescriptor(null, "1", d.description(), d.inputs(), d.input(), d.outputs(),
                d.labels(), d.metrics(), d.training(), null, null);
        given().auth().oauth2(TestKeys.ALL).multiPart("model", "model.onnx", TestModels.churnOnnx(), "application/octet-stream")
                .multiPart("descriptor", TestModels.json(v1), "application/json")
                .post("/registry/models/churn/versions").then().statusCode(409).body("field", equalTo("descriptor.version"));
    }

    @Test
    @Order(5)
    void servesAnyOnnxClassifierWithOneFp32InputThroughBothApis() throws Exception {
        float[] w = {0.5f, -1.0f, 2.0f};
        float bias = -0.25f;
        given().auth().oauth2(TestKeys.ALL).multiPart("model", "model.onnx", TestModels.logistic(w, bias), "application/octet-stream")
                .multiPart("descriptor", TestModels.json(TestModels.logisticDescriptor(3)), "application/json")
                .post("/registry/models/scorer/versions").then().statusCode(201).body("version", equalTo("1"));
        given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put("/registry/models/scorer/aliases/champion").then().statusCode(200);

        double z = 0.5 * 1 - 1.0 * 2 + 2.0 * 0.75 + bias;
        double expected = 1 / (1 + Math.exp(-z));
        Response json = given().contentType(ContentType.JSON)
                .body(Map.of("model", "scorer", "rows", List.of(Map.of("x0", 1, "x1", 2, "x2", 0.75))))
                .post("/predict");
        assertThat(json.statusCode()).as(json.asString()).isEqualTo(200);
        assertThat(json.jsonPath().getDouble("predictions[0].probabilities.yes")).isCloseTo(expected, within(1e-6));
        assertThat(json.jsonPath().getString("predictions[0].label")).isEqualTo(expected > 0.5 ? "yes" : "no");

        Response oip = given().contentType(ContentType.JSON).body(Map.of("inputs", List.of(Map.of("name", "float_input",
                "shape", List.of(2, 3), "datatype", "FP32", "data", List.of(List.of(1, 2, 0.75), List.of(0, 0, 0))))))
                .post("/v2/models/scorer/infer");
        assertThat(oip.statusCode()).as(oip.asString()).isEqualTo(200);
        List<Float> probs = oip.jsonPath().getList("outputs.find { it.name == 'probabilities' }.data", Float.class);
        assertThat(probs).hasSize(4);
        assertThat((double) probs.get(1)).isCloseTo(expected, within(1e-6));
        assertThat((double) probs.get(3)).isCloseTo(1 / (1 + Math.exp(-bias)), within(1e-6));
        assertThat(oip.jsonPath().getList("outputs.find { it.name == 'label' }.data", Integer.class))
                .containsExactly(expected > 0.5 ? 1 : 0, bias > 0 ? 1 : 0);
    }

    @Test
    @Order(6)
    void aVersionCanCarryItsReferenceProfileForDriftWhenItFitsTheDescriptor() throws Exception {
        byte[] reference = java.nio.file.Files.readAllBytes(
                Repository.root().resolve("config/models/churn/1/reference-profile.json"));
        // a profile of the churn model does not fit the logistic scorer
        given().auth().oauth2(TestKeys.ALL).multiPart("model", "model.onnx", TestModels.logistic(new float[] {1f, 1f, 1f}, 0f), "application/octet-stream")
                .multiPart("descriptor", TestModels.json(TestModels.logisticDescriptor(3)), "application/json")
                .multiPart("reference_profile", "reference-profile.json", reference, "application/json")
                .post("/registry/models/scorer/versions").then().statusCode(400).body("field", equalTo("reference_profile"));
        given().auth().oauth2(TestKeys.ALL).multiPart("model", "model.onnx", TestModels.logistic(new float[] {1f, 1f, 1f}, 0f), "application/octet-stream")
                .multiPart("descriptor", TestModels.json(TestModels.logisticDescriptor(3)), "application/json")
                .multiPart("reference_profile", "reference-profile.json", "{\"rows\": ".getBytes(), "application/json")
                .post("/registry/models/scorer/versions").then().statusCode(400).body("field", equalTo("reference_profile"));
        given().get("/registry/models/scorer").then().body("versions", equalTo(List.of("1")));

        Response created = given().auth().oauth2(TestKeys.ALL).multiPart("model", "model.onnx", TestModels.churnOnnx(), "application/octet-stream")
                .multiPart("descriptor", TestModels.json(TestModels.churnDescriptor()), "application/json")
                .multiPart("reference_profile", "reference-profile.json", reference, "application/json")
                .post("/registry/models/churn/versions");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        java.nio.file.Path store = java.nio.file.Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quiver.store.path", String.class));
        String version = created.jsonPath().getString("version");
        assertThat(store.resolve("churn").resolve(version).resolve("reference-profile.json")).hasBinaryContent(reference);
        assertThat(store.resolve("churn").resolve("1").resolve("reference-profile.json"))
                .as("the catalog's version brought its own").exists();
    }
}
