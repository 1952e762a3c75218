package dev.quiver.agent.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.testing.files.Repository;
import dev.quiver.testing.files.TempDirectory;
import com.sun.net.httpserver.HttpServer;
import dev.quiver.agent.outbox.Outgoing;
import dev.quiver.redis.agent.RedisAgentState;
import dev.quiver.testing.lambda.LambdaEvents;
import dev.quiver.testing.redis.RedisServer;
import io.opentelemetry.api.trace.TracerProvider;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's event door on Lambda, driven through the Lambda runtime API of Quarkus's mock event server with an SQS
 * batch of team envelopes and EventBridge events as AWS delivers them. Its state is in a real redis-server, as on
 * Lambda (no throwaway state), and its project manager is a CloudEvents sink in the test.
 */
@QuarkusTest
@QuarkusTestResource(value = AgentEventsLambdaTest.State.class, restrictToAnnotatedClass = true)
class AgentEventsLambdaTest {

    /** Redis for the agent's state, the team directory with the project manager at {@link #pm}, the feature store. */
    public static class State implements QuarkusTestResourceLifecycleManager {
        static RedisServer redis;
        static final String PREFIX = "quiver:lambda-test";
        static final List<String> received = new CopyOnWriteArrayList<>();
        private static HttpServer pm;
        private Path dir;

        @Override
        public Map<String, String> start() {
            dir = TempDirectory.create("quiver-agent-lambda");
            redis = RedisServer.start();
            try {
                pm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                pm.createContext("/events", exchange -> {
                    received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(202, -1);
                    exchange.close();
                });
                pm.start();
                Path agents = dir.resolve("agents.yaml");
                Files.writeString(agents, Files.readString(Repository.path("config/agents.yaml"))
                        .replace("http://127.0.0.1:8090/events", "http://127.0.0.1:" + pm.getAddress().getPort()
                                + "/events"));
                return Map.of("quiver.agent.store", "redis",
                        "quiver.agent.redis.uri", redis.uri(),
                        "quiver.agent.redis.prefix", PREFIX,
                        "quiver.agent.ledger.redis-prefix", PREFIX + ":ledger",
                        // the durable-state check runs as on Lambda: Redis satisfies it
                        "quiver.lambda.throwaway-state", "false",
                        "quiver.agents.directory", agents.toString(),
                        "quiver.features.definitions", Repository.path("config/features.yaml").toString(),
                        "quiver.features.store.path", dir.resolve("features").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            pm.stop(0);
            redis.close();
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

    @Test
    void aScheduleDeliversWhatAnyInstanceLeftInTheOutbox() {
        // another instance queued a message and was frozen before delivering it
        String issue = "accuracy fell, " + UUID.randomUUID();
        String body = "{\"message_id\":\"m-" + UUID.randomUUID() + "\",\"action\":\"model_issue_alert\","
                + "\"recipient\":\"project_manager_id\",\"issue\":{\"severity\":\"high\",\"model_id\":\"churn\","
                + "\"issue\":\"" + issue + "\",\"detected_at\":\"2026-11-28T06:00:00Z\",\"action\":\"rolled back\"}}";
        Instant now = Instant.now();
        try (RedisAgentState other = new RedisAgentState(State.redis.uri(), State.PREFIX, Duration.ofSeconds(2),
                Duration.ofSeconds(30), TracerProvider.noop().get("test"), problem -> { })) {
            other.outbox().put(new Outgoing("o-" + UUID.randomUUID(), "project_manager_id", body, now, 0, now, null,
                    null));

            JsonNode done = invoke("eventbridge-schedule", 200);

            assertThat(done.get("delivered").asInt()).as(done.toString()).isEqualTo(1);
            assertThat(State.received).anySatisfy(event -> assertThat(event).contains(issue));
            assertThat(other.outbox().pending()).isZero();
        }
    }

    @Test
    void anEnvelopeForAnAgentReachedByKafkaIsNotDeliveredAndIsTriedAgain() {
        // this build has no Kafka courier: the data engineer (kafka: in config/agents.yaml) is not reached from here
        String id = "o-" + UUID.randomUUID();
        String body = "{\"message_id\":\"m-" + UUID.randomUUID() + "\",\"action\":\"feature_store_request\","
                + "\"recipient\":\"data_engineer_id\"}";
        Instant now = Instant.now();
        try (RedisAgentState other = new RedisAgentState(State.redis.uri(), State.PREFIX, Duration.ofSeconds(2),
                Duration.ofSeconds(30), TracerProvider.noop().get("test"), problem -> { })) {
            try {
                other.outbox().put(new Outgoing(id, "data_engineer_id", body, now, 0, now, null, null));

                JsonNode done = invoke("eventbridge-schedule", 200);

                assertThat(done.get("retried").asInt()).as(done.toString()).isEqualTo(1);
                assertThat(other.outbox().due(Instant.now().plus(Duration.ofDays(1)), 100))
                        .filteredOn(m -> m.id().equals(id)).singleElement()
                        .satisfies(m -> assertThat(m.lastError()).contains("no courier for KAFKA agents"));
            } finally {
                other.outbox().remove(id);
            }
        }
    }

    @Test
    void whatTheAgentDidIsJournaledInRedis() {
        invoke("eventbridge-feature-request", 200);
        assertThat(State.redis.client().call("LLEN", State.PREFIX + ":journal")).isInstanceOf(Long.class)
                .satisfies(n -> assertThat((Long) n).isPositive());
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
