package dev.quiver.features.lambda;

import dev.quiver.testing.quarkus.TempFeatureStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.testing.lambda.ApiGatewayEvents;
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
@WithTestResource(TempFeatureStore.class)
class FeaturesLambdaTest {

    @Test
    void aPushedCustomerIsReadBackColumnMajor() {
        ApiGatewayEvents.Response pushed = ApiGatewayEvents.invoke("push-ok");
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
        assertThat(pushed.header("content-type")).startsWith("application/json");
        assertThat(pushed.json().path("rows").asInt()).isEqualTo(1);
        assertThat(pushed.json().path("written").asInt() + pushed.json().path("skipped").asInt()).isEqualTo(1);

        ApiGatewayEvents.Response read = ApiGatewayEvents.invoke("get-online-features-ok");
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        JsonNode body = read.json();
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
        ApiGatewayEvents.Response a = ApiGatewayEvents.invoke("push-missing-timestamp");

        assertThat(a.statusCode()).as(a.body()).isEqualTo(400);
        assertThat(a.json().path("field").asText()).isEqualTo("df[0].event_timestamp");
        assertThat(a.json().path("error").asText()).doesNotContain("Exception");
    }

    @Test
    void aPushWithoutACredentialIs401OnLambdaToo() {
        ApiGatewayEvents.Response a = ApiGatewayEvents.invoke("push-without-credential");

        assertThat(a.statusCode()).as(a.body()).isEqualTo(401);
        assertThat(a.json().path("field").asText()).isEqualTo("Authorization");
        assertThat(a.json().path("reason").asText()).contains("the write role");
    }

    @Test
    void anUnknownFeatureIsA404NamingIt() {
        ApiGatewayEvents.Response a = ApiGatewayEvents.invoke("get-online-features-unknown-feature");

        assertThat(a.statusCode()).as(a.body()).isEqualTo(404);
        assertThat(a.json().path("field").asText()).isEqualTo("features[0]");
        assertThat(a.json().path("reason").asText()).contains("favourite_colour");
    }

    @Test
    void malformedJsonIsA400NotA500() {
        ApiGatewayEvents.Response a = ApiGatewayEvents.invoke("get-online-features-malformed-json");

        assertThat(a.statusCode()).as(a.body()).isEqualTo(400);
        assertThat(a.json().path("field").asText()).isEqualTo("body");
        assertThat(a.json().path("error").asText()).contains("malformed JSON").doesNotContain("Exception");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
