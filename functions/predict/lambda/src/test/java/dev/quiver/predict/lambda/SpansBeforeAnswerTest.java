package dev.quiver.predict.lambda;

import dev.quiver.testing.lambda.ApiGatewayEvents;
import dev.quiver.testing.quarkus.OtlpCollector;
import dev.quiver.testing.quarkus.TempModelStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On Lambda an invocation's spans leave before its answer does: Lambda may freeze the environment as soon as the
 * answer is posted, so spans still queued for the batch processor's next scheduled export would wait for a later
 * invocation, or be lost. Here the batch processor's schedule is an hour, so only the export at the end of the
 * invocation can have brought the spans to the collector by the time the answer is back.
 */
@QuarkusTest
@TestProfile(SpansBeforeAnswerTest.Profile.class)
class SpansBeforeAnswerTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return OtlpCollector.heldSpans();
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TempModelStore.class), new TestResourceEntry(OtlpCollector.class));
        }
    }

    @Test
    void theInvocationsServerSpanReachesTheCollectorBeforeTheAnswer() {
        ApiGatewayEvents.Response res = ApiGatewayEvents.invoke("predict-traced");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);

        assertThat(OtlpCollector.holdsTrace("0af7651916cd43dd8448eb211c80319c"))
                .as("the event's trace id in an export received before the answer").isTrue();
        // the HTTP server span, which Vert.x ends after it has written the response, described with the model
        assertThat(OtlpCollector.tracesText()).contains("quiver.model.name")
                .contains("url.path").contains("/predict").contains("http.response.status_code");
    }
}
