package dev.quiver.features;

import dev.quiver.testing.security.TestKeys;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.quiver.features.FeastBodies.customer;
import static dev.quiver.features.FeastBodies.get;
import static dev.quiver.features.FeastBodies.push;
import static dev.quiver.features.FeastBodies.refs;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The push function as a Knative CloudEvent ({@code ce-type: push}), in binary and structured mode. */
@QuarkusTest
@WithTestResource(TempFeatureStore.class)
class CloudEventPushTest {

    private static final Instant T = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @Test
    void aBinaryModePushEventIsWrittenAndAnsweredWithAPushOutputEvent() {
        Response r = given().auth().oauth2(TestKeys.WRITE).contentType(ContentType.JSON)
                .header("ce-id", "push-1").header("ce-specversion", "1.0").header("ce-type", "push")
                .header("ce-source", "/tests/features")
                .body(push(customer(950_001, T).with("state", "AK")))
                .post("/").then().statusCode(200).extract().response();

        assertThat(r.header("ce-type")).isEqualTo("push.output");
        assertThat(r.header("ce-id")).isNotBlank();
        assertThat(r.jsonPath().getInt("rows")).isEqualTo(1);
        assertThat(r.jsonPath().getInt("written")).isEqualTo(1);
        assertThat(Feast.read(get(refs("state"), 950_001)).values("state")).containsExactly("AK");
    }

    @Test
    void aStructuredModePushEventIsWritten() throws Exception {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", "push-2");
        event.put("type", "push");
        event.put("source", "/tests/features");
        event.put("datacontenttype", "application/json");
        event.put("data", push(customer(950_002, T).with("state", "HI")));

        given().auth().oauth2(TestKeys.WRITE).contentType("application/cloudevents+json")
                .body(new ObjectMapper().writeValueAsString(event))
                .post("/").then().statusCode(200).body("type", equalTo("push.output"))
                .body("data.written", equalTo(1));
        assertThat(Feast.read(get(refs("state"), 950_002)).values("state")).containsExactly("HI");
    }

    @Test
    void aBadPushEventGetsTheSameErrorBodyAndWritesNothing() {
        given().auth().oauth2(TestKeys.WRITE).contentType(ContentType.JSON)
                .header("ce-id", "push-3").header("ce-specversion", "1.0").header("ce-type", "push")
                .header("ce-source", "/tests/features")
                .body(push(customer(950_003, T).without("event_timestamp")))
                .post("/").then().statusCode(400).contentType(ContentType.JSON)
                .body("field", equalTo("df[0].event_timestamp")).body("reason", containsString("missing event timestamp"));
        assertThat(Feast.read(get(refs("state"), 950_003)).statuses("state")).containsExactly("NOT_FOUND");
    }
}
