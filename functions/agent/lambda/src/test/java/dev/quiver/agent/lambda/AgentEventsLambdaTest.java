package dev.quiver.agent.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.testing.files.Repository;
import dev.quiver.testing.files.TempDirectory;
import dev.quiver.testing.lambda.LambdaEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's event door on Lambda, driven through the Lambda runtime API of Quarkus's mock event server with an SQS
 * batch of team envelopes and EventBridge events as AWS delivers them.
 */
@QuarkusTest
@QuarkusTestResource(value = AgentEventsLambdaTest.State.class, restrictToAnnotatedClass = true)
class AgentEventsLambdaTest {

    /** The agent's stores in a fresh directory, the repository's team directory and feature definitions. */
    public static class State implements QuarkusTestResourceLifecycleManager {
        private Path dir;

        @Override
        public Map<String, String> start() {
            dir = TempDirectory.create("quiver-agent-lambda");
            return Map.of("quiver.agent.state", dir.resolve("state").toString(),
                    "quiver.agents.directory", Repository.path("config/agents.yaml").toString(),
                    "quiver.features.definitions", Repository.path("config/features.yaml").toString(),
                    "quiver.features.store.path", dir.resolve("features").toString());
        }

        @Override
        public void stop() {
            TempDirectory.delete(dir);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anSqsBatchOfEnvelopesReturnsOnlyTheMessagesThatAreNotValidEnvelopes() {
        JsonNode batch = invoke("sqs-envelopes", 200);
        // s-2: no recipient; s-3: not an action of the team's; s-4: not JSON. s-5 repeats s-1's message id: a
        // duplicate is answered, not failed
        assertThat(batch.get("batchItemFailures")).extracting(f -> f.get("itemIdentifier").asText())
                .containsExactlyInAnyOrder("s-2", "s-3", "s-4");
    }

    @Test
    void anEventBridgeEventIsTheEnvelopeOfItsDetailTypeAndIsAnswered() {
        JsonNode answer = invoke("eventbridge-feature-request", 200);
        assertThat(answer.get("action").asText()).isEqualTo("feature_availability");
        assertThat(answer.get("in_reply_to").asText()).isEqualTo("5c2b1f0e-8a7d-4e61-9f3c-2d1a0b9c8e71");

        JsonNode refused = invoke("eventbridge-unknown-action", 500);
        assertThat(refused.get("errorMessage").asText()).contains("detail-type").contains("model_retirement_request");
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
