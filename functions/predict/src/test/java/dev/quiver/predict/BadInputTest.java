package dev.quiver.predict;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * Every kind of bad input the issue lists gets a 4xx with a JSON body naming the field and the reason, and
 * changes nothing: after each, the registry still lists only what it had and the champion still answers.
 */
@QuarkusTest
@QuarkusTestResource(TempModelStore.class)
class BadInputTest {

    @AfterEach
    void nothingChanged() {
        given().get("/registry/models/churn").then().statusCode(200)
                .body("versions", equalTo(List.of("1"))).body("aliases.champion", equalTo("1"));
        given().contentType(ContentType.JSON).body(ChurnRows.request(ChurnRows.customer())).post("/predict")
                .then().statusCode(200).body("version", equalTo("1"));
    }

    private static ValidatableResponse predict(Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/predict").then()
                .contentType(ContentType.JSON).body("error", not(containsString("Exception")));
    }

    private static ValidatableResponse predictRaw(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/predict").then().contentType(ContentType.JSON);
    }

    @Test
    void malformedJson() {
        predictRaw("{\"model\": \"churn\", \"rows\": [").statusCode(400).body("field", equalTo("body"));
    }

    @Test
    void malformedJsonOnTheOipDoor() {
        given().contentType(ContentType.JSON).body("{\"inputs\": [}").post("/v2/models/churn/infer").then()
                .statusCode(400).body("error", containsString("malformed JSON"));
    }

    @Test
    void unknownModel() {
        Map<String, Object> body = ChurnRows.request(ChurnRows.customer());
        body.put("model", "no-such-model");
        predict(body).statusCode(404).body("field", equalTo("model")).body("reason", containsString("no-such-model"));
    }

    @Test
    void unknownVersion() {
        Map<String, Object> body = ChurnRows.request(ChurnRows.customer());
        body.put("version", "99");
        predict(body).statusCode(404).body("field", equalTo("version")).body("reason", containsString("99"));
    }

    @Test
    void unknownAlias() {
        Map<String, Object> body = ChurnRows.request(ChurnRows.customer());
        body.put("alias", "challenger");
        predict(body).statusCode(404).body("field", equalTo("alias")).body("reason", containsString("challenger"));
    }

    @Test
    void missingFeature() {
        predict(ChurnRows.request(ChurnRows.without("total_day_minutes"))).statusCode(400)
                .body("field", equalTo("rows[0].total_day_minutes")).body("reason", equalTo("missing feature"));
    }

    @Test
    void unknownFeature() {
        predict(ChurnRows.request(ChurnRows.with("favourite_colour", "blue"))).statusCode(400)
                .body("field", equalTo("rows[0].favourite_colour")).body("reason", containsString("unknown feature"));
    }

    @Test
    void stringWhereANumberIsDue() {
        predict(ChurnRows.request(List.of(ChurnRows.customer(), ChurnRows.with("account_length", "128")))).statusCode(400)
                .body("field", equalTo("rows[1].account_length")).body("reason", containsString("must be a number"));
    }

    @Test
    void categoryTheModelNeverSaw() {
        predict(ChurnRows.request(ChurnRows.with("state", "ZZ"))).statusCode(400)
                .body("field", equalTo("rows[0].state")).body("reason", containsString("unknown category 'ZZ'"));
    }

    @Test
    void notANumber() {
        String row = "{\"model\":\"churn\",\"rows\":[" + ChurnRows.json(ChurnRows.customer())
                .replace("\"total_day_minutes\":265.1", "\"total_day_minutes\":NaN") + "]}";
        predictRaw(row).statusCode(400).body("field", equalTo("rows[0].total_day_minutes"))
                .body("reason", containsString("finite"));
    }

    @Test
    void infinity() {
        String row = "{\"model\":\"churn\",\"rows\":[" + ChurnRows.json(ChurnRows.customer())
                .replace("\"total_eve_minutes\":197.4", "\"total_eve_minutes\":-Infinity") + "]}";
        predictRaw(row).statusCode(400).body("field", equalTo("rows[0].total_eve_minutes"))
                .body("reason", containsString("finite"));
    }

    @Test
    void moreRowsThanTheLimit() {
        predict(ChurnRows.request(ChurnRows.batch(1001))).statusCode(413).body("field", equalTo("rows"))
                .body("reason", containsString("1000"));
    }

    @Test
    void bodyOverTheSizeLimit() {
        StringBuilder big = new StringBuilder("{\"model\":\"churn\",\"rows\":[],\"padding\":\"");
        big.append("x".repeat(5 * 1024 * 1024)).append("\"}");
        predictRaw(big.toString()).statusCode(413).body("field", equalTo("body"));
    }

    @Test
    void emptyRows() {
        predict(ChurnRows.request(List.of())).statusCode(400).body("field", equalTo("rows"));
    }

    @Test
    void oipTensorWhoseShapeDisagreesWithTheModel() {
        given().contentType(ContentType.JSON).body(Map.of("inputs", List.of(Map.of("name", "features",
                        "shape", List.of(1, 70), "datatype", "FP64", "data", new double[70]))))
                .post("/v2/models/churn/infer").then().statusCode(400)
                .body("error", containsString("inputs[0].shape")).body("error", containsString("[-1, 73]"));
    }

    @Test
    void oipTensorWhoseDatatypeDisagreesWithTheModel() {
        given().contentType(ContentType.JSON).body(Map.of("inputs", List.of(Map.of("name", "features",
                        "shape", List.of(1, 73), "datatype", "FP32", "data", new float[73]))))
                .post("/v2/models/churn/infer").then().statusCode(400)
                .body("error", containsString("inputs[0].datatype")).body("error", containsString("FP64"));
    }

    @Test
    void oipTensorWhoseDataLengthDisagreesWithItsShape() {
        given().contentType(ContentType.JSON).body(Map.of("inputs", List.of(Map.of("name", "features",
                        "shape", List.of(2, 73), "datatype", "FP64", "data", new double[73]))))
                .post("/v2/models/churn/infer").then().statusCode(400)
                .body("error", containsString("inputs[0].data")).body("error", containsString("146"));
    }

    @Test
    void oipTensorWithAStringWhereNumbersAreDue() {
        given().contentType(ContentType.JSON).body(Map.of("inputs", List.of(Map.of("name", "features",
                        "shape", List.of(1, 2), "datatype", "FP64", "data", List.of(1.0, "two")))))
                .post("/v2/models/churn/infer").then().statusCode(400)
                .body("error", containsString("inputs[0].data[1]"));
    }

    @Test
    void registrationOfAFileThatIsNotOnnx() throws Exception {
        given().multiPart("model", "model.onnx", "this is not a model".getBytes(), "application/octet-stream")
                .multiPart("descriptor", TestModels.json(TestModels.churnDescriptor()), "application/json")
                .post("/registry/models/churn/versions").then().statusCode(422)
                .body("field", equalTo("model")).body("reason", containsString("ONNX"));
    }

    @Test
    void registrationWhoseSha256Disagrees() throws Exception {
        var d = TestModels.churnDescriptor();
        var wrong = new dev.quiver.registry.ModelDescriptor(d.name(), d.version(), d.description(), d.inputs(),
                d.input(), d.outputs(), d.labels(), d.metrics(), d.training(), "0".repeat(64), null);
        given().multiPart("model", "model.onnx", TestModels.churnOnnx(), "application/octet-stream")
                .multiPart("descriptor", TestModels.json(wrong), "application/json")
                .post("/registry/models/churn/versions").then().statusCode(422)
                .body("field", equalTo("descriptor.sha256")).body("reason", containsString("not the declared"));
    }

    @Test
    void registrationWhoseInputSchemaDoesNotMatchTheGraph() throws Exception {
        // the logistic model takes 4 features; the descriptor declares 5
        given().multiPart("model", "model.onnx", TestModels.logistic(new float[] {1, 2, 3, 4}, 0f), "application/octet-stream")
                .multiPart("descriptor", TestModels.json(TestModels.logisticDescriptor(5)), "application/json")
                .post("/registry/models/churn/versions").then().statusCode(422)
                .body("field", equalTo("descriptor.inputs")).body("reason", containsString("5 values per row"));
    }

    @Test
    void registrationWithAMalformedDescriptor() throws Exception {
        given().multiPart("model", "model.onnx", TestModels.churnOnnx(), "application/octet-stream")
                .multiPart("descriptor", "{\"inputs\": 12}", "application/json")
                .post("/registry/models/churn/versions").then().statusCode(400)
                .body("field", equalTo("descriptor"));
    }
}
