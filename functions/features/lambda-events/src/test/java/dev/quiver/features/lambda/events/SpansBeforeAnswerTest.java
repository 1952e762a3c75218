package dev.quiver.features.lambda.events;

import dev.quiver.testing.lambda.LambdaEvents;
import dev.quiver.testing.quarkus.OtlpCollector;
import dev.quiver.testing.quarkus.TempFeatureStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On Lambda an event's spans leave before its answer does (see the predict Lambda's test of the same name): with the
 * batch processor's schedule at an hour, only the export at the end of the push can have brought its span to the
 * collector by the time the answer is back.
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
            return List.of(new TestResourceEntry(TempFeatureStore.class), new TestResourceEntry(OtlpCollector.class));
        }
    }

    @Test
    void thePushsSpanReachesTheCollectorBeforeTheAnswer() {
        Response r = LambdaEvents.invoke("events/push.json");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);

        assertThat(OtlpCollector.tracesText()).as("the push's span in an export received before the answer")
                .contains("quiver.features.push").contains("quiver.rows.written");
    }
}
