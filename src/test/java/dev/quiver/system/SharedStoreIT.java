package dev.quiver.system;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Two instances of the predict function on one model store, as several Lambda or Knative instances share a bucket: a
 * version registered by one and an alias it moves are served by the other within {@code quiver.store.refresh-every}
 * plus the version's loading, and moves made by both at once leave one answer in the store that both serve.
 */
class SharedStoreIT {

    private static final Duration REFRESH = Duration.ofSeconds(1);
    /** refresh-every, and the loading of a small model on a busy machine. */
    private static final Duration BOUND = REFRESH.plusSeconds(9);

    @TempDir
    Path store;

    @TempDir
    Path second;

    @Test
    void anAliasMovedByOneInstanceIsServedByTheOtherWithinTheRefreshTime() throws Exception {
        Path root = FunctionProcess.repositoryRoot();
        String refresh = "-Dquiver.store.refresh-every=" + REFRESH.toMillis() + "ms";
        try (FunctionProcess a = FunctionProcess.startPredict(store, "predict-shared-a", refresh);
             FunctionProcess b = FunctionProcess.startPredict(store, "predict-shared-b", refresh,
                     "-Dquiver.features.store.path=" + second.resolve("features"),
                     "-Dquiver.audit.path=" + second.resolve("audit"))) {
            a.awaitOk("/predict", PredictSystemIT.CUSTOMER, Duration.ofSeconds(90));
            b.awaitOk("/predict", PredictSystemIT.CUSTOMER, Duration.ofSeconds(90));
            String key = Files.readString(FunctionProcess.localKeyFile(store)).strip();

            given().baseUri(a.baseUri()).auth().oauth2(key)
                    .multiPart("model", root.resolve("config/models/churn/1/model.onnx").toFile(),
                            "application/octet-stream")
                    .multiPart("descriptor", Files.readString(root.resolve("config/models/churn/1/descriptor.json")),
                            "application/json")
                    .post("/registry/models/churn/versions").then().statusCode(201).body("version", equalTo("2"));
            moveChampion(a, key, "2");
            Duration seen = awaitChampion(b, "2");
            System.out.println("an alias moved on one instance, served by the other after " + seen.toMillis() + " ms");

            moveChampion(b, key, "1");
            awaitChampion(a, "1");

            // both move it at once: each write is conditional on what it read, so one lands last and both serve it
            Thread other = new Thread(() -> moveChampion(a, key, "2"));
            other.start();
            moveChampion(b, key, "1");
            other.join();
            String stored = Files.readString(store.resolve("churn/aliases.json")).contains("\"2\"") ? "2" : "1";
            awaitChampion(a, stored);
            awaitChampion(b, stored);
        }
    }

    private static void moveChampion(FunctionProcess fn, String key, String version) {
        given().baseUri(fn.baseUri()).auth().oauth2(key).contentType(ContentType.JSON)
                .body(Map.of("version", version)).put("/registry/models/churn/aliases/champion").then().statusCode(200);
    }

    /** How long it took until {@code fn} predicts with {@code version}; fails after {@link #BOUND}. */
    private static Duration awaitChampion(FunctionProcess fn, String version) throws InterruptedException {
        long start = System.nanoTime();
        String served = null;
        while (System.nanoTime() - start < BOUND.toNanos()) {
            RequestSpecification call = given().baseUri(fn.baseUri()).contentType(ContentType.JSON)
                    .body(PredictSystemIT.CUSTOMER);
            served = call.post("/predict").then().statusCode(200).extract().path("version");
            if (version.equals(served)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(50);
        }
        assertThat(served).as("the champion served after " + BOUND.toMillis() + " ms").isEqualTo(version);
        return BOUND;
    }
}
