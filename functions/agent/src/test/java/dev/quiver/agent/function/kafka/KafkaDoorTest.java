package dev.quiver.agent.function.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.agent.function.Team;
import dev.quiver.json.Json;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.quiver.agent.function.TeamEnvelopes.ALERT_ON_CHURN;
import static dev.quiver.agent.function.TeamEnvelopes.FEATURE_REQUEST;
import static dev.quiver.agent.function.TeamEnvelopes.TRACEPARENT;
import static dev.quiver.agent.function.TeamEnvelopes.withId;
import static org.assertj.core.api.Assertions.assertThat;

/** The agent's Kafka door and courier against a real broker, with the team's envelopes. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTeam.class, restrictToAnnotatedClass = true)
class KafkaDoorTest {

    static final String IN = "quiver.agent.in";
    static KafkaProducer<String, String> producer;
    static KafkaClients.Reader answers;

    @BeforeAll
    static void clients() {
        producer = KafkaClients.producer(KafkaTeam.bootstrapServers);
        answers = new KafkaClients.Reader(KafkaTeam.bootstrapServers, "quiver.agent.answers");
    }

    @AfterAll
    static void close() {
        producer.close();
        answers.close();
    }

    @BeforeEach
    void reset() {
        Team.PREDICT_DOWN.set(false);
    }

    private static JsonNode json(ConsumerRecord<String, String> r) {
        try {
            return Json.MAPPER.readTree(r.value());
        } catch (Exception e) {
            throw new AssertionError(r.value(), e);
        }
    }

    private static List<ConsumerRecord<String, String>> answersTo(String id, int count) {
        return answers.await(r -> r.value().contains("\"" + id + "\""), count);
    }

    @Test
    void theTeamsFeatureRequestIsAnsweredOnTheAnswersTopicInTheSendersTrace() {
        String id = "de-" + UUID.randomUUID();
        KafkaClients.send(producer, IN, id, withId(FEATURE_REQUEST, id), TRACEPARENT);

        ConsumerRecord<String, String> answer = answersTo(id, 1).get(0);
        JsonNode a = json(answer);
        assertThat(a.path("action").asText()).isEqualTo("feature_availability");
        assertThat(a.path("in_reply_to").asText()).isEqualTo(id);
        assertThat(a.path("availability").path("features")).hasSize(3);
        assertThat(answer.key()).isEqualTo(id);
        assertThat(KafkaClients.header(answer, "quiver-action")).isEqualTo("feature_availability");
        assertThat(KafkaClients.header(answer, "traceparent")).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
                .isNotEqualTo(TRACEPARENT);
    }

    @Test
    void aDuplicateMessageIdGetsTheSameAnswerAndActsOnce() {
        String id = "dup-" + UUID.randomUUID();
        KafkaClients.send(producer, IN, id, withId(FEATURE_REQUEST, id), TRACEPARENT);
        answersTo(id, 1);
        KafkaClients.send(producer, IN, id, withId(FEATURE_REQUEST, id), TRACEPARENT);

        List<ConsumerRecord<String, String>> both = answersTo(id, 2);
        assertThat(both.get(1).value()).isEqualTo(both.get(0).value());
        assertThat(json(both.get(1)).path("message_id").asText()).isEqualTo(json(both.get(0)).path("message_id").asText());
    }

    @Test
    void aBadMessageIsAnsweredNamingTheFieldAndTheNextRecordIsStillRead() {
        String bad = "bad-" + UUID.randomUUID();
        String notJson = "garbled-" + UUID.randomUUID();
        String good = "next-" + UUID.randomUUID();
        KafkaClients.send(producer, IN, bad, withId(FEATURE_REQUEST.replace("\"recipient\": \"data_engineer_id\",", ""),
                bad), TRACEPARENT);
        KafkaClients.send(producer, IN, notJson, "{\"action\": \"feature_store_request\", ", null);
        KafkaClients.send(producer, IN, good, withId(FEATURE_REQUEST, good), null);

        ConsumerRecord<String, String> refused = answersTo(bad, 1).get(0);
        JsonNode e = json(refused);
        assertThat(e.path("action").asText()).isEqualTo("error");
        assertThat(e.path("in_reply_to").asText()).isEqualTo(bad);
        assertThat(e.path("error").path("kind").asText()).isEqualTo("bad_input");
        assertThat(e.path("error").path("field").asText()).isEqualTo("recipient");
        assertThat(e.path("error").path("reason").asText()).isNotBlank();
        assertThat(e.path("record").path("topic").asText()).isEqualTo(IN);
        assertThat(e.path("record").path("key").asText()).isEqualTo(bad);
        assertThat(e.path("record").path("offset").isNumber()).isTrue();
        assertThat(refused.key()).isEqualTo(bad);
        assertThat(KafkaClients.header(refused, "quiver-action")).isEqualTo("error");
        assertThat(KafkaClients.header(refused, "traceparent")).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-");

        ConsumerRecord<String, String> garbled = answers.await(r -> notJson.equals(r.key()), 1).get(0);
        assertThat(json(garbled).path("error").path("kind").asText()).isEqualTo("bad_input");
        assertThat(json(garbled).path("error").path("reason").asText()).isNotBlank();

        assertThat(json(answersTo(good, 1).get(0)).path("action").asText()).isEqualTo("feature_availability");
    }

    @Test
    void anActionThatFailsOnEveryTryIsAnsweredFailedAndPublishedAsADeadLetter() {
        Team.PREDICT_DOWN.set(true);
        String id = "alert-" + UUID.randomUUID();
        try (KafkaClients.Reader deadLetters = new KafkaClients.Reader(KafkaTeam.bootstrapServers,
                "quiver.agent.dead-letters")) {
            KafkaClients.send(producer, IN, id, withId(ALERT_ON_CHURN, id), TRACEPARENT);

            JsonNode failed = json(answersTo(id, 1).get(0));
            assertThat(failed.path("action").asText()).isEqualTo("acknowledgement");
            assertThat(failed.path("outcome").path("status").asText()).isEqualTo("failed");
            ConsumerRecord<String, String> letter = deadLetters.await(r -> id.equals(r.key()), 1).get(0);
            assertThat(json(letter).path("action").asText()).isEqualTo("model_issue_alert");
            assertThat(json(letter).path("reason").asText()).contains("gave up after 3 tries");
            assertThat(json(letter).path("message").asText()).contains(id);
        }
    }

    @Test
    void quiversOwnEnvelopeIsRelayedToTheKafkaAgentsTopicInTheSendersTrace() {
        String id = "relay-" + UUID.randomUUID();
        String envelope = withId(FEATURE_REQUEST.replaceFirst("\\{", "{\"sender\": \"quiver_ml_engineer\", "), id);
        try (KafkaClients.Reader dataEngineer = new KafkaClients.Reader(KafkaTeam.bootstrapServers,
                "quiver.team.data-engineer")) {
            KafkaClients.send(producer, IN, id, envelope, TRACEPARENT);

            assertThat(json(answersTo(id, 1).get(0)).path("action").asText()).isEqualTo("acknowledgement");
            ConsumerRecord<String, String> relayed = dataEngineer.await(r -> r.value().contains(id), 1).get(0);
            assertThat(relayed.key()).isEqualTo(id);
            assertThat(KafkaClients.header(relayed, "quiver-action")).isEqualTo("feature_store_request");
            assertThat(KafkaClients.header(relayed, "traceparent")).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-");
            assertThat(json(relayed).path("request").path("features")).hasSize(3);
        }
    }
}
