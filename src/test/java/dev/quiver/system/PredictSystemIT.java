package dev.quiver.system;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The predict function as a user runs it: the built jar started as a process on an empty store, answering
 * predictions of the demo model over real HTTP; a new version registered by upload and promoted by alias;
 * and, after a restart of the process, the promotion still in force.
 */
class PredictSystemIT {

    static final String CUSTOMER = """
            {"model":"churn","rows":[{"state":"KS","account_length":128,"area_code":"area_code_415",
            "international_plan":"no","voice_mail_plan":"yes","number_vmail_messages":25,"total_day_minutes":265.1,
            "total_day_calls":110,"total_day_charge":45.07,"total_eve_minutes":197.4,"total_eve_calls":99,
            "total_eve_charge":16.78,"total_night_minutes":244.7,"total_night_calls":91,"total_night_charge":11.01,
            "total_intl_minutes":10,"total_intl_calls":3,"total_intl_charge":2.7,"number_customer_service_calls":1}]}
            """;

    @TempDir
    Path store;

    @Test
    void servesTheDemoModelAndKeepsARegistrationAcrossARestart() throws Exception {
        Path root = FunctionProcess.repositoryRoot();
        try (FunctionProcess fn = FunctionProcess.startPredict(store, "predict-first-run")) {
            Duration firstPrediction = fn.awaitOk("/predict", CUSTOMER, Duration.ofSeconds(60));
            System.out.println("process start to first answered prediction: " + firstPrediction.toMillis() + " ms");
            RestAssured.baseURI = fn.baseUri();

            Response r = given().contentType(ContentType.JSON).body(CUSTOMER).post("/predict");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.jsonPath().getString("model")).isEqualTo("churn");
            assertThat(r.jsonPath().getString("version")).isEqualTo("1");
            float no = r.jsonPath().getFloat("predictions[0].probabilities.no");
            float yes = r.jsonPath().getFloat("predictions[0].probabilities.yes");
            assertThat(no + yes).isBetween(0.9999f, 1.0001f);

            given().get("/v2/health/ready").then().statusCode(200);
            // by customer id: customer 1 of the demo data, loaded into the empty embedded online store at start
            fn.awaitOk("/predict", "{\"model\":\"churn\",\"entities\":{\"customer_id\":[1]}}", Duration.ofSeconds(30));
            Response byId = given().contentType(ContentType.JSON)
                    .body(Map.of("model", "churn", "entities", Map.of("customer_id", List.of(1)))).post("/predict");
            assertThat(byId.statusCode()).as(byId.asString()).isEqualTo(200);
            assertThat(byId.jsonPath().getFloat("predictions[0].probabilities.no")).isEqualTo(no);
            given().get("/v2/models/churn").then().statusCode(200).body("platform", equalTo("onnxruntime_onnx"));
            assertThat(Files.exists(store.resolve("churn/1/model.onnx"))).isTrue();

            // writes need a credential: on embedded defaults the function made a local key, owner-only, and said where
            Path keyFile = FunctionProcess.localKeyFile(store);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                    .isEqualTo("rw-------");
            assertThat(fn.log()).contains("Made the local key").contains(keyFile.toString())
                    .doesNotContain(Files.readString(keyFile).strip());
            String key = Files.readString(keyFile).strip();
            given().contentType(ContentType.JSON).body(Map.of("version", "1"))
                    .put("/registry/models/churn/aliases/champion").then().statusCode(401);

            // the committed descriptor declares the artifact's sha256, which the registry verifies
            String descriptor = Files.readString(root.resolve("config/models/churn/1/descriptor.json"));
            given().auth().oauth2(key).multiPart("model", root.resolve("config/models/churn/1/model.onnx").toFile(),
                            "application/octet-stream").multiPart("descriptor", descriptor, "application/json")
                    .post("/registry/models/churn/versions").then().statusCode(201).body("version", equalTo("2"));
            given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("version", "2"))
                    .put("/registry/models/churn/aliases/champion").then().statusCode(200);
            given().contentType(ContentType.JSON).body(CUSTOMER).post("/predict").then().statusCode(200)
                    .body("version", equalTo("2"));
            assertThat(fn.log()).doesNotContain("Exception").doesNotContain("ERROR");
        }

        try (FunctionProcess again = FunctionProcess.startPredict(store, "predict-second-run")) {
            again.awaitOk("/v2/health/ready", null, Duration.ofSeconds(60));
            RestAssured.baseURI = again.baseUri();
            assertThat(again.log()).as("a later start reads the same key").contains("Using the local key");
            given().contentType(ContentType.JSON).body(CUSTOMER).post("/predict").then().statusCode(200)
                    .body("version", equalTo("2"));
            given().get("/registry/models/churn").then().statusCode(200)
                    .body("versions", equalTo(List.of("1", "2"))).body("aliases.champion", equalTo("2"));
        }
    }

    @Test
    void theRunCommandStartsOnTheClassDataArchiveTheBuildRecorded() throws Exception {
        Path archive = FunctionProcess.repositoryRoot().resolve("functions/predict/target/predict.jsa");
        assertThat(archive).as("the predict build records it, unless built with -Dquiver.archive.skip=true").isRegularFile();
        // -Xshare:on turns "cannot use the archive" (another JDK, other jars) from a warning into a failed start
        try (FunctionProcess fn = FunctionProcess.startPredict(store, "predict-archive", "-Xshare:on")) {
            fn.awaitOk("/predict", CUSTOMER, Duration.ofSeconds(60));
            assertThat(fn.log()).doesNotContain("shared archive");
        }
    }

    @Test
    void aMalformedProfileStoreSettingStopsTheFunctionAtStartWithTheKeyNamed() throws Exception {
        try (FunctionProcess fn = FunctionProcess.startPredict(store, "predict-bad-capture-store",
                "-Dquiver.capture.store=redis", "-Dquiver.capture.redis.uri=http://cache.internal:6379")) {
            // 1, the start's failure; not 134, a crash (a start must not exit while ONNX Runtime loads a model)
            assertThat(fn.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(fn.log()).contains("quiver.capture.redis.uri: must be redis://host[:port] or rediss://host[:port],"
                    + " not 'http://cache.internal:6379'");
        }
    }
}
