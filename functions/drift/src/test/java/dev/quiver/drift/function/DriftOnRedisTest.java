package dev.quiver.drift.function;

import dev.quiver.drift.capture.ProfileStore;
import dev.quiver.redis.profiles.RedisProfileStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every case of {@link DriftFunctionCases}, with the captured window in a real redis-server instead of a directory:
 * what instances of the predict function saved to Redis, the drift function lists, merges, reports and alerts on,
 * and its alert claims and labels go to Redis too.
 */
@QuarkusTest
@QuarkusTestResource(value = RedisCapturedWindow.class, restrictToAnnotatedClass = true)
class DriftOnRedisTest extends DriftFunctionCases {

    @Inject
    ProfileStore store;

    @Test
    @Order(4)
    void theFunctionReadsAndWritesRedis() {
        assertThat(store).isInstanceOf(RedisProfileStore.class);
        given().post("/drift/models/churn/versions/1/evaluate").then().statusCode(200);
        // the incidents of the window were claimed in Redis by the first evaluation, with their correlation ids
        assertThat(store.claim("churn", "1", CapturedWindow.WINDOW, "incident-estimated-accuracy")).isFalse();
        assertThat(store.claims("churn", "1", CapturedWindow.WINDOW).get("incident-estimated-accuracy"))
                .matches("[0-9a-f-]{36}");
        assertThat(store.outcomes("churn")).as("the labels of the feedback test").hasSize(100);
    }
}
