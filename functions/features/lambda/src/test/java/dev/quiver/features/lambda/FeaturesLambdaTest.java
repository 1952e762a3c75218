package dev.quiver.features.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The features function as an AWS Lambda behind API Gateway HTTP API: payload-2.0 events for Feast's
 * {@code /push} and {@code /get-online-features} go in through the mock event server's Lambda runtime API, and
 * API Gateway responses come out; bad input is a 4xx with the function's JSON error body.
 */
@QuarkusTest
@WithTestResource(LambdaTestStore.class)
class FeaturesLambdaTest {

    @Test
    void aPushedCustomerIsReadBackColumnMajor() {
        LambdaEvents.Answer pushed = LambdaEvents.invoke("push-ok");
        assertThat(pushed.status()).as(pushed.body().toString()).isEqualTo(200);
        assertThat(pushed.header("content-type")).startsWith("application/json");
        assertThat(pushed.body().path("rows").asInt()).isEqualTo(1);
        assertThat(pushed.body().path("written").asInt() + pushed.body().path("skipped").asInt()).isEqualTo(1);

        LambdaEvents.Answer read = LambdaEvents.invoke("get-online-features-ok");
        assertThat(read.status()).as(read.body().toString()).isEqualTo(200);
        JsonNode body = read.body();
        assertThat(texts(body.path("metadata").path("feature_names")))
                .containsExactly("customer_id", "state", "total_day_minutes");
        assertThat(texts(body.path("results").get(0).path("values"))).containsExactly("970001", "970002");
        JsonNode state = body.path("results").get(1);
        assertThat(state.path("values").get(0).asText()).isEqualTo("CO");
        assertThat(state.path("values").get(1).isNull()).isTrue();
        assertThat(texts(state.path("statuses"))).containsExactly("PRESENT", "NOT_FOUND");
        assertThat(texts(state.path("event_timestamps"))).containsExactly("2026-11-28T09:00:00Z", "1970-01-01T00:00:00Z");
        assertThat(body.path("results").get(2).path("values").get(0).asDouble()).isEqualTo(265.1);
    }

    @Test
    void aPushWithoutEventTimestampsIsA400NamingTheFirstRow() {
        LambdaEvents.Answer a = LambdaEvents.invoke("push-missing-timestamp");

        assertThat(a.status()).as(a.body().toString()).isEqualTo(400);
        assertThat(a.body().path("field").asText()).isEqualTo("df[0].event_timestamp");
        assertThat(a.body().path("error").asText()).doesNotContain("Exception");
    }

    @Test
    void aPushWithoutACredentialIs401OnLambdaToo() {
        LambdaEvents.Answer a = LambdaEvents.invoke("push-without-credential");

        assertThat(a.status()).as(a.body().toString()).isEqualTo(401);
        assertThat(a.body().path("field").asText()).isEqualTo("Authorization");
        assertThat(a.body().path("reason").asText()).contains("the write role");
    }

    @Test
    void anUnknownFeatureIsA404NamingIt() {
        LambdaEvents.Answer a = LambdaEvents.invoke("get-online-features-unknown-feature");

        assertThat(a.status()).as(a.body().toString()).isEqualTo(404);
        assertThat(a.body().path("field").asText()).isEqualTo("features[0]");
        assertThat(a.body().path("reason").asText()).contains("favourite_colour");
    }

    @Test
    void malformedJsonIsA400NotA500() {
        LambdaEvents.Answer a = LambdaEvents.invoke("get-online-features-malformed-json");

        assertThat(a.status()).as(a.body().toString()).isEqualTo(400);
        assertThat(a.body().path("field").asText()).isEqualTo("body");
        assertThat(a.body().path("error").asText()).contains("malformed JSON").doesNotContain("Exception");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
