package dev.quiver.features;

import dev.quiver.agent.FeatureRequest;
import dev.quiver.agent.Messages;
import dev.quiver.testing.http.RecordingEndpoint;
import dev.quiver.testing.quarkus.CloudEventReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code get-online-features} for customers the store does not hold: a window where more than 10% of the rows lack
 * the asked features sends the data engineer one {@code feature_store_request} naming them, at the CloudEvent sink.
 */
@QuarkusTest
@QuarkusTestResource(TempFeatureStore.class)
@QuarkusTestResource(CloudEventReceiver.class)
@TestProfile(FeatureRequestTest.SmallWindows.class)
class FeatureRequestTest {

    /** Windows of 10 rows. */
    public static class SmallWindows implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quiver.features.requests.window-rows", "10");
        }
    }

    @Test
    void featuresTheStoreLacksAreAskedForByTheirViewsNames() {
        given().contentType(ContentType.JSON).body(Map.of("features", List.of("churn_features:state",
                        "churn_features:total_day_minutes"),
                "entities", Map.of("customer_id", List.of(1, 2, 3, 4, 5, 6, 7, 8, 800_001, 800_002))))
                .post("/get-online-features").then().statusCode(200);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> !CloudEventReceiver.ofType("feature_store_request").isEmpty());
        RecordingEndpoint.Request sent = CloudEventReceiver.ofType("feature_store_request").get(0);
        FeatureRequest request = (FeatureRequest) Messages.parse(sent.body());
        assertThat(request.header().recipient()).isEqualTo("data_engineer_id");
        assertThat(request.request().features()).containsExactly("churn_features:state",
                "churn_features:total_day_minutes");
        assertThat(request.request().modelId()).as("the features function knows no models").isNull();
        assertThat(sent.headers()).containsEntry("ce-subject", "churn_features:state");
    }
}
