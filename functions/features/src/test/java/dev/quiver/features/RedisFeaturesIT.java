package dev.quiver.features;

import dev.quiver.testing.net.Ports;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.FeatureDefinitions;
import dev.quiver.feature.FeatureRow;
import dev.quiver.feature.FeatureView;
import dev.quiver.testing.security.TestKeys;
import dev.quiver.redis.feast.FeastRedisLayout;
import dev.quiver.testing.redis.RawRedis;
import dev.quiver.redis.feast.RedisOnlineStore;
import dev.quiver.redis.feast.RedisOnlineStoreOptions;
import dev.quiver.testing.redis.RedisServer;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.quiver.features.FeastBodies.customer;
import static dev.quiver.features.FeastBodies.get;
import static dev.quiver.features.FeastBodies.push;
import static dev.quiver.features.FeastBodies.refs;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The built features jar against a real {@code redis-server}: Feast's doors and the materialize command round
 * trip through Redis; when Redis stops or hangs (SIGSTOP), reads and pushes answer 503 with {@code Retry-After}
 * within about the configured timeout (never a hang) and readiness goes down; once Redis is back, they recover. A
 * value Redis holds that cannot be decoded is answered INVALID on its own; the configured entity key serialization
 * version reads the keys Feast writes with it, and a version Feast does not have stops the start.
 */
@Timeout(120)
class RedisFeaturesIT {

    /** The Redis call timeout the function runs with, its default. */
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(50);
    /** What a 503 may take over HTTP on a loaded 2-core machine: the timeout, the breaker's slack and the HTTP path. */
    private static final Duration FAIL_FAST = Duration.ofMillis(500);
    private static final Instant T = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    static Path dir;

    private static RedisServer redis;
    private static FeaturesProcess function;
    private static Map<String, String> config;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        config = new LinkedHashMap<>();
        config.put("quiver.features.definitions", TestDefinitions.file().toString());
        config.put("quiver.features.store.kind", "redis");
        config.put("quiver.features.redis.uri", redis.uri());
        config.put("quiver.features.redis.timeout", REDIS_TIMEOUT.toMillis() + "ms");
        config.put("quiver.features.redis.breaker.open-duration", "500ms");
        // the built jar runs in the prod profile: it accepts the tests' key with every role (TestKeys.ALL, which
        // Feast.push presents) once told its SHA-256, and makes no local key
        config.put("quiver.security.local-key.enabled", "false");
        config.put("quiver.security.api-keys.test-all.sha256", sha256(TestKeys.ALL));
        config.put("quiver.security.api-keys.test-all.roles", "invoke,write,deploy,observe");
        function = FeaturesProcess.serve("features-redis-it", config);
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = function.port();
    }

    @AfterAll
    static void stop() {
        RestAssured.reset();
        if (function != null) {
            function.close();
            assertThat(function.log()).doesNotContain("Exception").doesNotContain("ERROR");
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aPushIsReadBackFromRedis() {
        Feast.push(push(customer(980_001, T).with("state", "MT"), customer(980_002, T.minusSeconds(5))))
                .statusCode(200).body("written", equalTo(2));
        Feast.push(push(customer(980_001, T.minusSeconds(60)).with("state", "ID"))).statusCode(200)
                .body("written", equalTo(0)).body("skipped", equalTo(1));

        Feast.Answer a = Feast.read(get(refs("state", "total_day_minutes", "account_length"), 980_001, 980_002, 980_003));
        assertThat(a.values("state")).containsExactly("MT", "KS", null);
        assertThat(a.statuses("state")).containsExactly("PRESENT", "PRESENT", "NOT_FOUND");
        assertThat(a.values("total_day_minutes")).containsExactly(265.1f, 265.1f, null);
        assertThat(a.values("account_length")).containsExactly(128, 128, null);
        assertThat(a.timestamps("state")).containsExactly(T.toString(), T.minusSeconds(5).toString(), "1970-01-01T00:00:00Z");
        given().get("/q/health/ready").then().statusCode(200).body("checks[0].data.store", equalTo("redis"));
    }

    @Test
    void theMaterializeCommandLoadsTheDemoSourceAndAFileIntoRedis() throws IOException {
        FeaturesProcess.Finished demo = FeaturesProcess.materialize(config, "--timestamp", T.toString());
        assertThat(demo.status()).as(demo.err()).isZero();
        assertThat(demo.out()).contains("churn_features: 5000 rows read");

        Path file = BulkFiles.jsonLines(dir.resolve("rows.jsonl"), 980_101, 980_102);
        FeaturesProcess.Finished own = FeaturesProcess.materialize(config, "--view", "churn_features", "--file", file.toString());
        assertThat(own.status()).as(own.err()).isZero();
        assertThat(own.out()).contains("churn_features: 2 rows read, 2 written");

        Feast.Answer a = Feast.read(get(refs("state", "total_day_calls"), 1, 3, 980_101));
        assertThat(a.values("state")).containsExactly("KS", "NJ", "NY");
        assertThat(a.values("total_day_calls")).containsExactly(110, 114, 77);
    }

    @Test
    void aMaterializeAgainstAnUnreachableRedisFailsWithOneLine() throws IOException {
        Map<String, String> nowhere = new LinkedHashMap<>(config);
        nowhere.put("quiver.features.redis.uri", "redis://127.0.0.1:" + Ports.freeLoopbackPort());
        Path file = BulkFiles.jsonLines(dir.resolve("nowhere.jsonl"), 980_201);

        FeaturesProcess.Finished r = FeaturesProcess.materialize(nowhere, "--view", "churn_features", "--file", file.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.lastErrLine()).startsWith("materialize: redis at " + nowhere.get("quiver.features.redis.uri"));
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void aStoppedRedisIsA503WithRetryAfterWithinTheTimeoutAndTheFunctionRecoversWhenItIsBack() {
        // the set-up write runs under the same 50 ms timeout: on a loaded machine (or with the circuit still open after
        // the test before) it may be refused once, which is not what this test is about
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Feast.push(push(customer(980_301, T))).statusCode(200));
        redis.stop();
        try {
            for (int i = 0; i < 8; i++) {
                assertFailsFast(() -> Feast.getOnlineFeatures(get(refs("state"), 980_301)).extract().response());
            }
            assertFailsFast(() -> Feast.push(push(customer(980_302, T))).extract().response());
            given().get("/q/health/ready").then().statusCode(503);
        } finally {
            redis.startAgain();
        }
        // redis-server runs without persistence here: it comes back empty, and the function writes to it again
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Feast.push(push(customer(980_301, T).with("state", "NE"))).statusCode(200));
        // reads go out on each event loop's own connection, which the restart closed: the first read on a loop opens a
        // new one inside its 50 ms, which a loaded machine may exceed once, as it may for the push above
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(Feast.read(get(refs("state"), 980_301)).values("state")).containsExactly("NE"));
        // the probe is one read under the same 50 ms timeout: on a loaded machine the first may still be late
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void aHungRedisIsA503WithinAboutTheTimeoutAndReadsRecoverWhenItResumes() {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Feast.push(push(customer(980_401, T).with("state", "SD"))).statusCode(200));
        redis.pause();
        try {
            for (int i = 0; i < 8; i++) {
                assertFailsFast(() -> Feast.getOnlineFeatures(get(refs("state"), 980_401)).extract().response());
            }
        } finally {
            redis.resume();
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(Feast.read(get(refs("state"), 980_401)).values("state")).containsExactly("SD"));
    }

    @Test
    void aValueRedisHoldsThatCannotBeDecodedIsAnsweredInvalidAndTheRestOfTheReadAsUsual() {
        FeatureDefinitions definitions = FeatureDefinitions.read(TestDefinitions.file());
        FeatureView view = definitions.view(FeastBodies.VIEW, "view");
        try (RedisOnlineStore store = new RedisOnlineStore(RedisOnlineStoreOptions.builder(definitions.project())
                .uri(redis.uri()).timeout(Duration.ofSeconds(2)).build())) {
            for (long id : new long[] {980_501, 980_502}) {
                store.write(view, List.of(new FeatureRow(EntityKey.of(FeastBodies.JOIN_KEY, id), T,
                        Map.of("state", "MT", "total_day_minutes", 265.1))));
            }
        }
        byte[] key = new FeastRedisLayout(definitions.project(), 3).redisKey(view,
                EntityKey.of(FeastBodies.JOIN_KEY, 980_501L), "key");
        try (RawRedis raw = redis.client()) {
            // field 49: a member of a Value from a Feast newer than this reader
            raw.call("HSET", key, FeastRedisLayout.featureField(view.name(), "total_day_minutes"),
                    new byte[] {(byte) 0x88, 3, 1});
        }

        Feast.Answer a = Feast.read(get(refs("state", "total_day_minutes"), 980_501, 980_502));

        assertThat(a.statuses("total_day_minutes")).containsExactly("INVALID", "PRESENT");
        assertThat(a.values("total_day_minutes")).containsExactly(null, 265.1f);
        assertThat(a.timestamps("total_day_minutes")).containsExactly(T.toString(), T.toString());
        assertThat(a.statuses("state")).containsExactly("PRESENT", "PRESENT");
        assertThat(a.values("state")).containsExactly("MT", "MT");
        assertThat(function.log()).contains("redis holds a value of churn_features:total_day_minutes that cannot be "
                + "decoded (field 49 is no member of feast.types.Value): answered with status INVALID");
    }

    @Test
    void theConfiguredEntityKeySerializationVersionReadsFeastsKeysAndAnyOtherStopsTheStartNamingTheKey() {
        try (RawRedis raw = redis.client()) {
            // what Feast 0.49 (entity_key_serialization_version 1, its default) materializes for customer 980601:
            // the join key, then the INT64 in 4 bytes (struct.pack("<l")), then the project
            byte[] v1Key = HexFormat.of().parseHex("02000000" + hexOf("customer_id") + "04000000" + "04000000"
                    + "79f60e00" + hexOf("quiver_demo"));
            raw.call("HSET", v1Key, FeastRedisLayout.timestampField(FeastBodies.VIEW),
                    FeastRedisLayout.encodeTimestamp(T), FeastRedisLayout.featureField(FeastBodies.VIEW, "state"),
                    HexFormat.of().parseHex("12025654"));
        }
        Map<String, String> v1 = new LinkedHashMap<>(config);
        v1.put("quiver.features.redis.entity-key-serialization-version", "1");
        try (FeaturesProcess old = FeaturesProcess.serve("features-redis-v1-it", v1)) {
            RestAssured.port = old.port();
            Feast.Answer a = Feast.read(get(refs("state"), 980_601));
            assertThat(a.values("state")).containsExactly("VT");
            assertThat(a.statuses("state")).containsExactly("PRESENT");
        } finally {
            RestAssured.port = function.port();
        }
        assertThat(Feast.read(get(refs("state"), 980_601)).statuses("state"))
                .as("the function on version 3, the default, looks under another key").containsExactly("NOT_FOUND");

        Map<String, String> v4 = new LinkedHashMap<>(config);
        v4.put("quiver.features.redis.entity-key-serialization-version", "4");
        assertThatThrownBy(() -> FeaturesProcess.serve("features-redis-v4-it", v4).close())
                .hasMessageContaining("quiver.features.redis.entity-key-serialization-version")
                .hasMessageContaining("must be 1, 2 or 3 (Feast's entity_key_serialization_version of the store), "
                        + "not '4'");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hexOf(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertFailsFast(java.util.function.Supplier<Response> call) {
        long start = System.nanoTime();
        Response r = call.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(503);
        assertThat(r.contentType()).startsWith(ContentType.JSON.toString());
        assertThat(r.header("Retry-After")).isNotNull();
        assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 5L);
        assertThat(r.jsonPath().getString("error")).doesNotContain("Exception");
        assertThat(took).as("a 503 took %s ms", took.toMillis()).isLessThan(FAIL_FAST);
    }
}
