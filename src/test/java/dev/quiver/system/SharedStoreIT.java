package dev.quiver.system;

import dev.quiver.testing.s3.S3Server;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Two instances of the predict function on one model store, a directory or an S3 bucket (a real S3-compatible server
 * in this JVM), as several Lambda or Knative instances share one: a version registered by one and an alias it moves
 * are served by the other within {@code quiver.store.refresh-every} plus the version's loading, and moves made by both
 * at once leave one answer in the store that both serve.
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
    void onADirectoryAnAliasMovedByOneInstanceIsServedByTheOther() throws Exception {
        shareOneStore("directory", List.of());
        assertThat(Files.readString(store.resolve("churn/aliases.json"))).contains("champion");
    }

    @Test
    void onAnS3BucketAnAliasMovedByOneInstanceIsServedByTheOther() throws Exception {
        try (S3Server s3 = S3Server.start("quiver-models")) {
            shareOneStore("s3", List.of("-Dquiver.store.kind=s3", "-Dquiver.store.s3.bucket=" + s3.bucket(),
                    "-Dquiver.store.s3.region=" + s3.region(), "-Dquiver.store.s3.endpoint=" + s3.endpoint(),
                    "-Dquiver.store.s3.path-style=true", "-Daws.accessKeyId=" + s3.accessKey(),
                    "-Daws.secretAccessKey=" + s3.secretKey()));
            assertThat(Files.exists(store.resolve("churn"))).as("nothing in the directory").isFalse();
        }
    }

    private void shareOneStore(String name, List<String> storeSettings) throws Exception {
        Path root = FunctionProcess.repositoryRoot();
        List<String> a1 = new ArrayList<>(storeSettings);
        a1.add("-Dquiver.store.refresh-every=" + REFRESH.toMillis() + "ms");
        a1.add("-Dquiver.store.s3.cache-dir=" + second.resolve("cache-a"));
        List<String> b1 = new ArrayList<>(a1);
        b1.add("-Dquiver.store.s3.cache-dir=" + second.resolve("cache-b"));
        b1.add("-Dquiver.features.store.path=" + second.resolve("features"));
        b1.add("-Dquiver.audit.path=" + second.resolve("audit"));
        try (FunctionProcess a = FunctionProcess.startPredict(store, "predict-" + name + "-a", a1.toArray(String[]::new));
             FunctionProcess b = FunctionProcess.startPredict(store, "predict-" + name + "-b",
                     b1.toArray(String[]::new))) {
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

            // both move it at once: each write is conditional on what it read, so one lands last, and both serve it
            // once they have read it again
            Thread other = new Thread(() -> moveChampion(a, key, "2"));
            other.start();
            moveChampion(b, key, "1");
            other.join();
            awaitAgreement(a, b);
        }
    }

    private static void moveChampion(FunctionProcess fn, String key, String version) {
        given().baseUri(fn.baseUri()).auth().oauth2(key).contentType(ContentType.JSON)
                .body(Map.of("version", version)).put("/registry/models/churn/aliases/champion").then().statusCode(200);
    }

    /** Waits until both instances serve the same champion, what the store holds; fails after {@link #BOUND}. */
    private static void awaitAgreement(FunctionProcess a, FunctionProcess b) throws InterruptedException {
        long start = System.nanoTime();
        String first = null;
        String second = null;
        while (System.nanoTime() - start < BOUND.toNanos()) {
            first = served(a);
            second = served(b);
            if (first.equals(second)) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(second).as("the champions served after " + BOUND.toMillis() + " ms").isEqualTo(first);
    }

    private static String served(FunctionProcess fn) {
        return given().baseUri(fn.baseUri()).contentType(ContentType.JSON).body(PredictSystemIT.CUSTOMER)
                .post("/predict").then().statusCode(200).extract().path("version");
    }

    /** How long it took until {@code fn} predicts with {@code version}; fails after {@link #BOUND}. */
    private static Duration awaitChampion(FunctionProcess fn, String version) throws InterruptedException {
        long start = System.nanoTime();
        String served = null;
        while (System.nanoTime() - start < BOUND.toNanos()) {
            served = served(fn);
            if (version.equals(served)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(50);
        }
        assertThat(served).as("the champion served after " + BOUND.toMillis() + " ms").isEqualTo(version);
        return BOUND;
    }
}
