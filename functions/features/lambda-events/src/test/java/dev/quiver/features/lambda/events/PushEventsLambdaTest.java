package dev.quiver.features.lambda.events;

import dev.quiver.testing.quarkus.TempFeatureStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.error.Stages;
import dev.quiver.feature.FeatureStatus;
import dev.quiver.feature.OnlineFeatures;
import dev.quiver.feature.OnlineFeaturesRequest;
import dev.quiver.feature.OnlineFeaturesResponse;
import dev.quiver.testing.lambda.LambdaEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The features function's push door on Lambda, driven through the Lambda runtime API of Quarkus's mock event server
 * with an SQS batch of pushes as AWS delivers it, and a push sent as the event itself; what was written is read back
 * from the online store.
 */
@QuarkusTest
@QuarkusTestResource(value = TempFeatureStore.class, restrictToAnnotatedClass = true)
class PushEventsLambdaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    OnlineFeatures features;

    @Test
    void anSqsBatchOfPushesKeepsTheGoodOnesAndReturnsEachBadOne() {
        JsonNode batch = invoke("sqs-pushes", 200);
        // p-2: no event_timestamp; p-3: an unknown push source; p-4: not JSON
        assertThat(batch.get("batchItemFailures")).extracting(f -> f.get("itemIdentifier").asText())
                .containsExactlyInAnyOrder("p-2", "p-3", "p-4");
        OnlineFeaturesResponse.FeatureVector state = state(970011, 970012, 970013, 970014);
        assertThat(state.values()).containsExactly("CO", null, "NJ", null);
        assertThat(state.statuses()).containsExactly(FeatureStatus.PRESENT, FeatureStatus.NOT_FOUND,
                FeatureStatus.PRESENT, FeatureStatus.NOT_FOUND);
    }

    @Test
    void aPushSentAsTheEventIsWrittenAndABadOneNamesItsRow() {
        JsonNode pushed = invoke("push", 200);
        assertThat(pushed.get("rows").asInt()).isEqualTo(1);
        assertThat(pushed.get("written").asInt()).isEqualTo(1);

        JsonNode bad = invoke("push-missing-timestamp", 500);
        assertThat(bad.get("errorMessage").asText()).contains("df[0].event_timestamp");
        assertThat(state(970021, 970022).statuses()).containsExactly(FeatureStatus.PRESENT, FeatureStatus.NOT_FOUND);
    }

    private OnlineFeaturesResponse.FeatureVector state(Object... customers) {
        OnlineFeaturesResponse r = Stages.join(features.get(new OnlineFeaturesRequest(
                List.of("churn_features:state"), null, Map.of("customer_id", List.of(customers)), false)));
        return r.results().get(1);
    }

    private static JsonNode invoke(String fixture, int status) {
        Response r = LambdaEvents.invoke("events/" + fixture + ".json");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        try {
            return JSON.readTree(r.asString());
        } catch (IOException e) {
            throw new UncheckedIOException(r.asString(), e);
        }
    }
}
