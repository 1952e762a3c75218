package dev.quiver.features;

import dev.quiver.testing.http.RawHttp;
import dev.quiver.testing.security.TestKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static dev.quiver.features.FeastBodies.customer;
import static dev.quiver.features.FeastBodies.get;
import static dev.quiver.features.FeastBodies.push;
import static dev.quiver.features.FeastBodies.refs;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * Every kind of bad input to the Feast doors gets a 4xx with a JSON body naming the field and the reason (never a
 * 500, never a stack trace), and a rejected push writes nothing, not even its good rows.
 */
@QuarkusTest
@WithTestResource(TempFeatureStore.class)
class BadInputTest {

    private static ValidatableResponse read(Object body) {
        return checked(Feast.getOnlineFeatures(body));
    }

    private static ValidatableResponse write(Object body) {
        return checked(Feast.push(body));
    }

    private static ValidatableResponse checked(ValidatableResponse r) {
        return r.contentType(ContentType.JSON).body("error", not(containsString("Exception")))
                .body("error", not(containsString("\tat ")));
    }

    private static ValidatableResponse raw(String path, String body) {
        return checked(given().auth().oauth2(TestKeys.ALL).contentType(ContentType.JSON).body(body).post(path).then());
    }

    @Test
    void unknownFeature() {
        read(get(refs("state", "favourite_colour"), 1)).statusCode(404)
                .body("field", equalTo("features[1]")).body("reason", containsString("favourite_colour"));
    }

    @Test
    void unknownView() {
        read(get(List.of("driver_stats:conv_rate"), 1)).statusCode(404)
                .body("field", equalTo("features[0]")).body("reason", containsString("driver_stats"));
    }

    @Test
    void featureReferenceWithoutAView() {
        read(get(List.of("state"), 1)).statusCode(400).body("field", equalTo("features[0]"))
                .body("reason", containsString("view:feature"));
    }

    @Test
    void unknownFeatureService() {
        read(Map.of("feature_service", "fraud_model", "entities", Map.of("customer_id", List.of(1)))).statusCode(404)
                .body("field", equalTo("feature_service")).body("reason", containsString("fraud_model"));
    }

    @Test
    void bothFeaturesAndAFeatureService() {
        Map<String, Object> body = get(refs("state"), 1);
        body.put("feature_service", "churn_model");
        read(body).statusCode(400).body("field", equalTo("features")).body("reason", containsString("not both"));
    }

    @Test
    void unknownJoinKey() {
        read(Map.of("features", refs("state"), "entities", Map.of("driver_id", List.of(1001)))).statusCode(400)
                .body("field", equalTo("entities.driver_id")).body("reason", containsString("unknown join key"));
    }

    @Test
    void wrongJoinKeyType() {
        read(get(refs("state"), 1, "two")).statusCode(400).body("field", equalTo("entities.customer_id[1]"))
                .body("reason", containsString("integer"));
    }

    @Test
    void emptyEntityList() {
        read(get(refs("state"))).statusCode(400).body("field", equalTo("entities.customer_id"))
                .body("reason", containsString("at least one value"));
    }

    @Test
    void noEntities() {
        read(Map.of("features", refs("state"), "entities", Map.of())).statusCode(400).body("field", equalTo("entities"));
    }

    @Test
    void tooManyEntities() {
        Object[] ids = LongStream.rangeClosed(1, TempFeatureStore.MAX_ENTITIES + 1).boxed().toArray();
        read(get(refs("state"), ids)).statusCode(413).body("field", equalTo("entities"))
                .body("reason", containsString("limit of " + TempFeatureStore.MAX_ENTITIES));
    }

    @Test
    void wrongJsonTypeNamesThePath() {
        read(Map.of("features", "churn_features:state", "entities", Map.of("customer_id", List.of(1)))).statusCode(400)
                .body("field", equalTo("features"));
    }

    @Test
    void unknownPropertyIsNamed() {
        Map<String, Object> body = get(refs("state"), 1);
        body.put("feature", "churn_features:state");
        read(body).statusCode(400).body("field", equalTo("feature")).body("reason", equalTo("unknown property"));
    }

    @Test
    void malformedJsonOnEitherDoor() {
        raw("/get-online-features", "{\"features\": [\"churn_features:state\"").statusCode(400)
                .body("field", equalTo("body")).body("reason", containsString("malformed JSON"));
        raw("/push", "{\"push_source_name\": ").statusCode(400).body("field", equalTo("body"));
    }

    @Test
    void emptyBody() {
        raw("/get-online-features", "").statusCode(400).body("field", equalTo("body"));
        raw("/push", "").statusCode(400).body("field", equalTo("body"));
    }

    @Test
    void bodyLargerThanTheLimit() {
        String big = "{\"features\": [\"" + "x".repeat(300 * 1024) + "\"]}";
        raw("/get-online-features", big).statusCode(413).body("field", equalTo("body"));
    }

    @Test
    void unknownPushSource() {
        Map<String, Object> body = push(customer(930_001, Instant.now()));
        body.put("push_source_name", "driver_push");
        write(body).statusCode(404).body("field", equalTo("push_source_name"))
                .body("reason", containsString("driver_push"));
        assertNothingStoredFor(930_001);
    }

    @Test
    void pushWithARowMissingItsJoinKeyWritesNothing() {
        assertSecondRowWithoutIsRejectedWhole("customer_id", 930_002, "missing join key");
    }

    @Test
    void pushWithoutTheJoinKeyColumnWritesNothing() {
        write(push(customer(930_004, Instant.now()).without("customer_id"))).statusCode(400)
                .body("field", equalTo("df[0].customer_id"));
    }

    @Test
    void pushWithARowMissingItsTimestampWritesNothing() {
        assertSecondRowWithoutIsRejectedWhole("event_timestamp", 930_005, "missing event timestamp");
    }

    @Test
    void pushWithoutTheTimestampColumnWritesNothing() {
        write(push(customer(930_007, Instant.now()).without("event_timestamp"))).statusCode(400)
                .body("field", equalTo("df[0].event_timestamp"));
        assertNothingStoredFor(930_007);
    }

    @Test
    void pushWithAnUnreadableTimestamp() {
        write(push(customer(930_008, Instant.now()).with("event_timestamp", "yesterday"))).statusCode(400)
                .body("field", equalTo("df[0].event_timestamp"));
    }

    @Test
    void pushWithAMissingFeature() {
        write(push(customer(930_009, Instant.now()).without("state"))).statusCode(400)
                .body("field", equalTo("df[0].state")).body("reason", containsString("missing feature"));
    }

    @Test
    void pushWithAValueOfTheWrongType() {
        write(push(customer(930_010, Instant.now()).with("total_day_calls", "many"))).statusCode(400)
                .body("field", equalTo("df[0].total_day_calls"));
    }

    @Test
    void pushWithAnUnknownColumn() {
        write(push(customer(930_011, Instant.now()).with("favourite_colour", "blue"))).statusCode(400)
                .body("field", equalTo("df.favourite_colour"));
    }

    @Test
    void pushOfTooManyRows() {
        FeastBodies.Customer[] rows = LongStream.rangeClosed(1, TempFeatureStore.MAX_ENTITIES + 1)
                .mapToObj(i -> customer(940_000 + i, Instant.now())).toArray(FeastBodies.Customer[]::new);
        write(push(rows)).statusCode(413).body("field", equalTo("df"));
        assertNothingStoredFor(940_001);
    }

    @Test
    void pushToTheOfflineStore() {
        Map<String, Object> body = push(customer(930_012, Instant.now()));
        body.put("to", "offline");
        write(body).statusCode(400).body("field", equalTo("to"));
    }

    /** A push of customers {@code first} and {@code first + 1}, the second with no value in {@code column}. */
    @SuppressWarnings("unchecked")
    private static void assertSecondRowWithoutIsRejectedWhole(String column, long first, String reason) {
        Map<String, Object> body = push(customer(first, Instant.now()), customer(first + 1, Instant.now()));
        ((Map<String, List<Object>>) body.get("df")).get(column).set(1, null);
        write(body).statusCode(400).body("field", equalTo("df[1]." + column)).body("reason", containsString(reason));
        assertNothingStoredFor(first);
    }

    private static void assertNothingStoredFor(long customer) {
        assertThat(Feast.read(get(refs("state"), customer)).statuses("state")).containsExactly("NOT_FOUND");
    }

    // The malformed requests that once failed with a 500: each is answered at once with a 4xx naming the field.

    @Test
    void aCloudEventPushWithoutDataIsA400() {
        given().auth().oauth2(TestKeys.WRITE).header("ce-id", "1").header("ce-specversion", "1.0")
                .header("ce-type", "push").header("ce-source", "/test").post("/").then().statusCode(400)
                .body("field", equalTo("data"));
        given().auth().oauth2(TestKeys.WRITE).contentType("application/cloudevents+json")
                .body("{\"id\":\"1\",\"specversion\":\"1.0\",\"type\":\"push\",\"source\":\"/test\"}")
                .post("/").then().statusCode(400).body("field", equalTo("data"));
    }

    @Test
    void anEmptyBodyIsA400AtOnce() {
        for (String path : List.of("/push", "/get-online-features")) {
            RawHttp.Answer a = RawHttp.send(io.restassured.RestAssured.port, "POST " + path
                    + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 0\r\n"
                    + "Authorization: Bearer " + TestKeys.ALL, "", 5_000);
            assertThat(a.timedOut()).as(a.text()).isFalse();
            assertThat(a.status()).as(a.text()).isEqualTo(400);
            assertThat(a.body()).contains("\"field\":\"body\"");
        }
    }

    @Test
    void aMalformedChunkedPushIsA400() {
        RawHttp.Answer a = RawHttp.send(io.restassured.RestAssured.port, "POST /push HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer "
                + TestKeys.WRITE, "ZZ\r\n{}\r\n0\r\n\r\n", 5_000);
        assertThat(a.status()).as(a.text()).isEqualTo(400);
        assertThat(a.body()).contains("malformed chunked");
    }

    @Test
    void aPushInAnotherMediaTypeIs415() {
        given().auth().oauth2(TestKeys.WRITE).contentType("text/plain").body("{}").post("/push").then()
                .statusCode(415).body("field", equalTo("Content-Type"));
    }
}
