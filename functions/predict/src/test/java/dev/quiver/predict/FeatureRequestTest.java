package dev.quiver.predict;

import dev.quiver.agent.FeatureRequest;
import dev.quiver.agent.Messages;
import dev.quiver.testing.http.RecordingEndpoint;
import dev.quiver.testing.quarkus.CloudEventReceiver;
import dev.quiver.testing.quarkus.TempModelStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Predictions by customer id for customers the online store does not hold: once more than 10% of a window's rows lack
 * their features, the data engineer is sent one {@code feature_store_request} naming them, and it arrives at the
 * CloudEvent sink.
 */
@QuarkusTest
@QuarkusTestResource(TempModelStore.class)
@QuarkusTestResource(CloudEventReceiver.class)
@TestProfile(FeatureRequestTest.SmallWindows.class)
class FeatureRequestTest {

    /** Windows of 20 rows, so that one request of 20 customers fills one. */
    public static class SmallWindows implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quiver.features.requests.window-rows", "20");
        }
    }

    /** Customers 1 to 15, stored, and {@code unknown} customers that are not. */
    private static void predict(int unknown) {
        List<Object> ids = new ArrayList<>();
        for (int i = 1; i <= 20 - unknown; i++) {
            ids.add(i);
        }
        for (int i = 0; i < unknown; i++) {
            ids.add(900_000 + i);
        }
        given().contentType(ContentType.JSON).body(Map.of("model", "churn", "entities", Map.of("customer_id", ids)))
                .post("/predict").then().statusCode(200).body("predictions.size()", equalTo(20));
    }

    @Test
    void customersTheStoreLacksAskTheDataEngineerForTheirFeaturesOncePerIncident() {
        predict(2);
        predict(5);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !CloudEventReceiver.ofType("feature_store_request").isEmpty());
        predict(5);

        List<RecordingEndpoint.Request> sent = CloudEventReceiver.ofType("feature_store_request");
        assertThat(sent).as("10% is not above the share; 25% is, once").hasSize(1);
        FeatureRequest request = (FeatureRequest) Messages.parse(sent.get(0).body());
        assertThat(sent.get(0).headers()).containsEntry("ce-subject", "churn")
                .containsEntry("ce-id", request.header().messageId());
        assertThat(request.header().recipient()).isEqualTo("data_engineer_id");
        assertThat(request.header().sender()).isEqualTo("quiver_ml_engineer");
        assertThat(request.header().correlationId()).isNotBlank();
        assertThat(request.request().modelId()).isEqualTo("churn");
        assertThat(request.request().features()).hasSize(19).contains("churn_features:total_day_minutes");
        assertThat(request.request().latencyRequirement()).isEqualTo("real-time");
        assertThat(request.request().updateFrequency()).as("churn_features' TTL").isEqualTo("every 90 days");
        given().get("/alerts").then().statusCode(200).body("requests[0].action", equalTo("feature_store_request"));
    }
}
