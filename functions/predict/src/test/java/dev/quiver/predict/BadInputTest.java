package dev.quiver.predict;

import dev.quiver.testing.quarkus.TempModelStore;
import dev.quiver.testing.http.RawHttp;
import dev.quiver.testing.security.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
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
        given().auth().oauth2(TestKeys.ALL).multiPart("model", "model.onnx", "this is not a model".getBytes(), "application/octet-stream")
                .multiPart("descriptor", TestModels.json(TestModels.churnDescriptor()), "application/json")
                .post("/registry/models/churn/versions").then().statusCode(422)
                .body("field", equalTo("model")).body("reason", containsString("ONNX"));
    }

    @Test
    void registrationWhoseSha256Disagrees() throws Exception {
        var d = TestModels.churnDescriptor();
        var wrong = new dev.quiver.model.ModelDescriptor(d.name(), d.version(), d.description(), d.inputs(),
                d.input(), d.outputs(), d.labels(), d.metrics(), d.training(), "0".repeat(64), null);
        given().auth().oauth2(TestKeys.ALL).multiPart("model", "model.onnx", TestModels.churnOnnx(), "application/octet-stream")
                .multiPart("descriptor", TestModels.json(wrong), "application/json")
                .post("/registry/models/churn/versions").then().statusCode(422)
                .body("field", equalTo("descriptor.sha256")).body("reason", containsString("not the declared"));
    }

    @Test
    void registrationWhoseInputSchemaDoesNotMatchTheGraph() throws Exception {
        // the logistic model takes 4 features; the descriptor declares 5
        given().auth().oauth2(TestKeys.ALL).multiPart("model", "model.onnx", TestModels.logistic(new float[] {1, 2, 3, 4}, 0f), "application/octet-stream")
                .multiPart("descriptor", TestModels.json(TestModels.logisticDescriptor(5)), "application/json")
                .post("/registry/models/churn/versions").then().statusCode(422)
                .body("field", equalTo("descriptor.inputs")).body("reason", containsString("5 values per row"));
    }

    @Test
    void registrationWithAMalformedDescriptor() throws Exception {
        given().auth().oauth2(TestKeys.ALL).multiPart("model", "model.onnx", TestModels.churnOnnx(), "application/octet-stream")
                .multiPart("descriptor", "{\"inputs\": 12}", "application/json")
                .post("/registry/models/churn/versions").then().statusCode(400)
                .body("field", equalTo("descriptor"));
    }

    // The malformed requests that once hung or failed with a 500: each is answered at once with a 4xx naming the field.

    private static RawHttp.Answer raw(String head, String body) {
        return RawHttp.send(io.restassured.RestAssured.port, head + "\r\nHost: localhost", body, 5_000);
    }

    private static void assertAnsweredAtOnce(RawHttp.Answer a, int status, String field) {
        assertThat(a.timedOut()).as("no answer within 5 s: " + a.text()).isFalse();
        assertThat(a.status()).as(a.text()).isEqualTo(status);
        assertThat(a.body()).as(a.text()).contains("\"field\":\"" + field + "\"").doesNotContain("Exception");
    }

    @Test
    void anEmptyBodyIsA400AtOnceOnEveryJsonDoor() {
        String json = "\r\nContent-Type: application/json\r\nContent-Length: 0";
        String key = "\r\nAuthorization: Bearer " + TestKeys.ALL;
        assertAnsweredAtOnce(raw("POST /predict HTTP/1.1" + json, ""), 400, "body");
        assertAnsweredAtOnce(raw("PUT /registry/models/churn/aliases/champion HTTP/1.1" + json + key, ""), 400, "body");
        assertAnsweredAtOnce(raw("POST /rollouts/churn/feedback HTTP/1.1" + json + key, ""), 400, "body");
        RawHttp.Answer oip = raw("POST /v2/models/churn/infer HTTP/1.1" + json, "");
        assertThat(oip.timedOut()).isFalse();
        assertThat(oip.status()).isEqualTo(400);
        assertThat(oip.body()).as("the protocol's own error body").isEqualTo("{\"error\":\"body: is required\"}");
        assertAnsweredAtOnce(raw("PUT /registry/models/churn/aliases/champion HTTP/1.1\r\nContent-Type: application/json"
                + "\r\nTransfer-Encoding: chunked" + key, "0\r\n\r\n"), 400, "body");
    }

    @Test
    void aMultipartBodyWithTheWrongBoundaryOrNoEndIsA400AtOnce() {
        String part = "--XYZ\r\nContent-Disposition: form-data; name=\"descriptor\"\r\n\r\n{}\r\n";
        String head = "POST /registry/models/churn/versions HTTP/1.1\r\nAuthorization: Bearer " + TestKeys.ALL;
        String wrong = part + "--XYZ--\r\n";
        assertAnsweredAtOnce(raw(head + "\r\nContent-Type: multipart/form-data; boundary=ABC\r\nContent-Length: "
                + wrong.length(), wrong), 400, "body");
        assertAnsweredAtOnce(raw(head + "\r\nContent-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: "
                + part.length(), part), 400, "body");
    }

    @Test
    void aCloudEventWithoutDataIsA400() {
        given().header("ce-id", "1").header("ce-specversion", "1.0").header("ce-type", "predict")
                .header("ce-source", "/test").post("/").then().statusCode(400).body("field", equalTo("data"));
        given().contentType("application/cloudevents+json")
                .body("{\"id\":\"1\",\"specversion\":\"1.0\",\"type\":\"predict\",\"source\":\"/test\"}")
                .post("/").then().statusCode(400).body("field", equalTo("data"));
        given().contentType("application/cloudevents+json").body("[1, 2]").post("/").then().statusCode(400)
                .body("field", equalTo("body"));
    }

    @Test
    void anOipShapeMustBeAnArrayOfIntegers() {
        for (Object shape : List.of("1,73", List.of("1", "73"), List.of(1.5, 73))) {
            given().contentType(ContentType.JSON).body(Map.of("inputs", List.of(Map.of("name", "features",
                            "shape", shape, "datatype", "FP64", "data", new double[73]))))
                    .post("/v2/models/churn/infer").then().statusCode(400)
                    .body("error", containsString("inputs[0].shape")).body("error", not(containsString("Exception")));
        }
    }

    @Test
    void oipDataNestedOtherwiseThanItsShapeIsRefused() {
        given().contentType(ContentType.JSON).body(Map.of("inputs", List.of(Map.of("name", "features",
                        "shape", List.of(1, 2), "datatype", "FP64", "data", List.of(List.of(List.of(0.0), List.of(1.0)))))))
                .post("/v2/models/churn/infer").then().statusCode(400).body("error", containsString("inputs[0].data[0][0]"));
        given().contentType(ContentType.JSON).body(Map.of("inputs", List.of(Map.of("name", "features",
                        "shape", List.of(2, 1), "datatype", "FP64", "data", List.of(List.of(0.0, 1.0))))))
                .post("/v2/models/churn/infer").then().statusCode(400).body("error", containsString("dimension 0"));
    }

    @Test
    void aRequestNamingBothAVersionAndAnAlias() {
        Map<String, Object> body = ChurnRows.request(ChurnRows.customer());
        body.put("version", "1");
        body.put("alias", "champion");
        predict(body).statusCode(400).body("field", equalTo("alias"));
    }

    @Test
    void anOverlongRequestIdIsRefusedNotEchoed() {
        Map<String, Object> body = ChurnRows.request(ChurnRows.customer());
        body.put("request_id", "x".repeat(257));
        predict(body).statusCode(400).body("field", equalTo("request_id"));
        given().contentType(ContentType.JSON).body(Map.of("id", "x".repeat(257), "inputs", List.of(Map.of("name",
                        "features", "shape", List.of(1, 73), "datatype", "FP64", "data", new double[73]))))
                .post("/v2/models/churn/infer").then().statusCode(400).body("error", containsString("id:"));
        // a 10 MB one is refused from the body's declared length, before the body is sent, let alone read
        RawHttp.Answer big = raw("POST /predict HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
                + (10 * 1024 * 1024 + 100), "{\"model\":\"churn\",\"request_id\":\"xxxx");
        assertAnsweredAtOnce(big, 413, "body");
        assertThat(big.text()).containsIgnoringCase("connection: close");
    }

    @Test
    void aMalformedChunkedBodyIsA400() {
        assertAnsweredAtOnce(raw("POST /predict HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked",
                "ZZ\r\n{}\r\n0\r\n\r\n"), 400, "body");
    }

    @Test
    void aPredictionInAnotherMediaTypeIs415() {
        given().contentType("text/plain").body("{\"model\":\"churn\",\"rows\":[{}]}").post("/predict")
                .then().statusCode(415).body("field", equalTo("Content-Type"));
    }
}
