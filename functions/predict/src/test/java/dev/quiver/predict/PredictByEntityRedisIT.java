package dev.quiver.predict;

import dev.quiver.testing.quarkus.TempModelStore;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.FeatureDefinitions;
import dev.quiver.feature.FeatureRow;
import dev.quiver.feature.FeatureView;
import dev.quiver.feature.OnlineStore;
import dev.quiver.testing.redis.RedisServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Predictions by customer id with the online store in a real redis-server (Feast's layout): the features come
 * from Redis; a paused (SIGSTOP) or stopped server is a 503 with Retry-After within about the 50 ms timeout,
 * never a hang; the function recovers when the server is back.
 */
@QuarkusTest
@QuarkusTestResource(value = PredictByEntityRedisIT.Redis.class, restrictToAnnotatedClass = true)
class PredictByEntityRedisIT {

    static RedisServer redis;

    /** A redis-server on a free port, and the predict function pointed at it. */
    public static class Redis extends TempModelStore implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            redis = RedisServer.start();
            Map<String, String> props = new HashMap<>(super.start());
            props.put("quiver.features.store.kind", "redis");
            props.put("quiver.features.redis.uri", redis.uri());
            props.put("quiver.features.redis.breaker.open-duration", "300ms");
            // drift capture into the same Redis, saved often
            props.put("quiver.capture.store", "redis");
            props.put("quiver.capture.redis.uri", redis.uri());
            props.put("quiver.capture.redis.key-prefix", "it:drift");
            props.put("quiver.capture.flush", "300ms");
            return props;
        }

        @Override
        public void stop() {
            redis.close();
            super.stop();
        }
    }

    @Inject
    OnlineStore store;

    @Inject
    FeatureDefinitions definitions;

    @BeforeEach
    void customerOneInRedis() {
        FeatureView view = definitions.view("churn_features", "test");
        Map<String, Object> values = new HashMap<>();
        ChurnRows.customer().forEach((name, v) -> values.put(name, view.feature(name).dtype().coerce(v, name)));
        store.write(view, List.of(new FeatureRow(EntityKey.of("customer_id", 1L), Instant.now(), values)));
    }

    private static Response predictCustomerOne() {
        return given().contentType(ContentType.JSON)
                .body(Map.of("model", "churn", "entities", Map.of("customer_id", List.of(1))))
                .post("/predict").andReturn();
    }

    @Test
    void featuresComeFromRedisAndScoreAsIfSent() {
        Map<String, Object> sent = given().contentType(ContentType.JSON).body(ChurnRows.request(ChurnRows.customer()))
                .post("/predict").then().statusCode(200).extract().jsonPath().getMap("predictions[0].probabilities");
        Response r = predictCustomerOne();
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getMap("predictions[0].probabilities")).isEqualTo(sent);
    }

    @Test
    void aPausedOrStoppedRedisIsA503WithRetryAfterWithinTheTimeoutAndTheFunctionRecovers() {
        assertThat(predictCustomerOne().statusCode()).isEqualTo(200);
        redis.pause();
        try {
            for (int i = 0; i < 6; i++) {
                assertFailsFast();
            }
        } finally {
            redis.resume();
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(predictCustomerOne().statusCode()).isEqualTo(200));

        redis.stop();
        try {
            for (int i = 0; i < 6; i++) {
                assertFailsFast();
            }
        } finally {
            redis.startAgain();
        }
        // the server comes back empty (no persistence): the function reads it again, and the row says why it failed
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Response r = predictCustomerOne();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.jsonPath().getString("predictions[0].error")).isEqualTo("no features stored for {customer_id=1}");
        });
    }

    @Test
    void servedRowsAreCapturedIntoRedisWhereTheDriftFunctionReadsThem() {
        Map<String, Object> body = new HashMap<>(ChurnRows.request(ChurnRows.batch(9)));
        body.put("request_id", "capture-redis-1");
        given().contentType(ContentType.JSON).body(body)
                .post("/predict").then().statusCode(200);
        try (var reader = new dev.quiver.redis.profiles.RedisProfileStore(redis.uri(), "it:drift",
                Duration.ofSeconds(2), Duration.ZERO, io.opentelemetry.api.trace.TracerProvider.noop().get("t"),
                java.time.Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                List<Instant> windows = reader.windows("churn", "1");
                assertThat(windows).isNotEmpty();
                Instant last = windows.get(windows.size() - 1);
                var merged = dev.quiver.drift.capture.Profile.merge(reader.load("churn", "1", last));
                assertThat(merged.rows()).isGreaterThanOrEqualTo(9);
                assertThat(merged.categories().get("state")).hasSize(51);
                assertThat(reader.predictions("churn", "1", last))
                        .filteredOn(p -> p.requestId().equals("capture-redis-1")).hasSize(9);
            });
        }
    }

    private static void assertFailsFast() {
        long start = System.nanoTime();
        Response r = predictCustomerOne();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(503);
        assertThat(r.header("Retry-After")).isNotNull();
        assertThat(r.jsonPath().getString("error")).startsWith("redis at ");
        // 50 ms timeout; the rest is HTTP on a busy 2-core machine. A hang would be the test's own timeout.
        assertThat(took).isLessThan(Duration.ofMillis(750));
    }
}
