package dev.quiver.agent.function.a2a;

import dev.quiver.agent.function.Team;
import dev.quiver.testing.a2a.StandInA2aAgent;
import dev.quiver.testing.security.TestKeys;
import io.a2a.A2A;
import io.a2a.client.Client;
import io.a2a.client.ClientEvent;
import io.a2a.client.MessageEvent;
import io.a2a.client.TaskEvent;
import io.a2a.client.config.ClientConfig;
import io.a2a.client.transport.jsonrpc.JSONRPCTransport;
import io.a2a.client.transport.jsonrpc.JSONRPCTransportConfig;
import io.a2a.client.transport.spi.interceptors.ClientCallContext;
import io.a2a.spec.A2AClientException;
import io.a2a.spec.AgentCard;
import io.a2a.spec.AgentSkill;
import io.a2a.spec.DataPart;
import io.a2a.spec.JSONRPCError;
import io.a2a.spec.Message;
import io.a2a.spec.Part;
import io.a2a.spec.Task;
import io.a2a.spec.TaskIdParams;
import io.a2a.spec.TaskQueryParams;
import io.a2a.spec.TaskState;
import io.a2a.util.Utils;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The A2A door driven by the A2A Java SDK's client and by raw JSON-RPC as another A2A implementation writes it, with
 * the team's envelopes verbatim; and the A2A courier delivering to a stand-in data scientist.
 */
@QuarkusTest
@QuarkusTestResource(value = A2aTeam.class, restrictToAnnotatedClass = true)
class A2aDoorTest {

    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    static final ClientCallContext DEPLOYER = new ClientCallContext(Map.of(),
            Map.of("Authorization", "Bearer " + TestKeys.DEPLOY));

    private final List<ClientEvent> events = new CopyOnWriteArrayList<>();

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void reset() {
        A2aTeam.dataScientist.reset();
        events.clear();
    }

    private static String base() {
        return "http://127.0.0.1:" + RestAssured.port;
    }

    private static AgentCard card() throws Exception {
        return A2A.getAgentCard(base());
    }

    private Client client() throws Exception {
        return Client.builder(card()).withTransport(JSONRPCTransport.class, new JSONRPCTransportConfig())
                .clientConfig(new ClientConfig.Builder().setAcceptedOutputModes(List.of("application/json")).build())
                .addConsumer((event, card) -> events.add(event)).build();
    }

    /** A user message carrying {@code envelope} (JSON) as its data part, under the test's trace. */
    private static Message message(String envelope) throws Exception {
        Map<String, Object> data = Utils.OBJECT_MAPPER.readValue(envelope, Map.class);
        return new Message.Builder().role(Message.Role.USER).messageId(UUID.randomUUID().toString())
                .parts(List.<Part<?>>of(new DataPart(data))).metadata(Map.of("traceparent", TRACEPARENT)).build();
    }

    private static Map<String, Object> data(Message m) {
        assertThat(m.getParts()).first().isInstanceOf(DataPart.class);
        return ((DataPart) m.getParts().get(0)).getData();
    }

    private Message answered() {
        assertThat(events).hasSize(1).first().isInstanceOf(MessageEvent.class);
        return ((MessageEvent) events.get(0)).getMessage();
    }

    @Test
    void theCardIsOpenToAnyoneAndNamesTheThreeSkillsAndTheJsonRpcEndpoint() throws Exception {
        AgentCard card = card();
        assertThat(card.name()).isEqualTo("Quiver");
        assertThat(card.description()).isEqualTo("The team's ML engineer");
        assertThat(card.url()).isEqualTo(base() + "/a2a");
        assertThat(card.preferredTransport()).isEqualTo("JSONRPC");
        assertThat(card.protocolVersion()).isEqualTo("0.3.0");
        assertThat(card.capabilities().streaming()).isFalse();
        assertThat(card.defaultInputModes()).containsExactly("application/json");
        assertThat(card.skills()).extracting(AgentSkill::id)
                .containsExactly("model_deployment_request", "feature_store_request", "model_issue_alert");
        assertThat(card.skills().get(1).examples().get(0)).contains("\"user_age\"");
    }

    @Test
    void theTeamsFeatureRequestIsAnsweredWithAFeatureAvailabilityDataPart() throws Exception {
        client().sendMessage(message(AgentCards.FEATURE_REQUEST), DEPLOYER);

        Map<String, Object> answer = data(answered());
        assertThat(answer).containsEntry("action", "feature_availability").containsEntry("sender", "quiver_ml_engineer");
        assertThat(answer.get("availability").toString()).contains("user_age", "purchase_history", "last_login");
    }

    @Test
    void theTeamsIssueAlertIsAcknowledged() throws Exception {
        client().sendMessage(message(AgentCards.ISSUE_ALERT), DEPLOYER);

        assertThat(data(answered())).containsEntry("action", "acknowledgement");
    }

    @Test
    void aBadEnvelopeIsInvalidParamsNamingTheField() throws Exception {
        Client client = client();
        assertThatThrownBy(() -> client.sendMessage(message("""
                {"action": "feature_store_request", "recipient": "quiver_ml_engineer", "request": {}}"""), DEPLOYER))
                .isInstanceOf(A2AClientException.class).hasMessageContaining("request.features")
                .cause().isInstanceOf(JSONRPCError.class)
                .extracting(e -> ((JSONRPCError) e).getCode()).isEqualTo(-32602);
        assertThat(events).isEmpty();
    }

    @Test
    void aModelOutsideTheAllowedStoresIsInvalidParamsNamingItsUri() throws Exception {
        Client client = client();
        assertThatThrownBy(() -> client.sendMessage(message("""
                {"action": "model_delivery", "sender": "data_scientist_id", "recipient": "quiver_ml_engineer",
                 "in_reply_to": "q-1", "correlation_id": "c-9",
                 "delivery": {"model_id": "churn", "version": "9", "format": "onnx",
                 "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                 "artifact": {"uri": "file:///etc/passwd"}}}"""), DEPLOYER))
                .isInstanceOf(A2AClientException.class).hasMessageContaining("delivery.artifact.uri");
    }

    @Test
    void aDeliveryIsATaskThatEndsRejectedNamingTheDigestAndCannotBeCanceledThen() throws Exception {
        Path dir = Team.state.resolve("store/churn/18");
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
        Files.writeString(dir.resolve("descriptor.json"), "{}");
        Client client = client();
        client.sendMessage(message("""
                {"action": "model_delivery", "sender": "data_scientist_id", "recipient": "quiver_ml_engineer",
                 "in_reply_to": "q-1", "correlation_id": "c-18",
                 "delivery": {"model_id": "churn", "version": "18", "format": "onnx",
                              "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                              "artifact": {"uri": "%s"}}}""".formatted(dir.resolve("model.onnx").toUri())), DEPLOYER);

        assertThat(events).hasSize(1).first().isInstanceOf(TaskEvent.class);
        Task started = ((TaskEvent) events.get(0)).getTask();
        assertThat(started.getStatus().state()).isEqualTo(TaskState.WORKING);
        assertThat(data(started.getStatus().message())).containsEntry("action", "acknowledgement");
        await().until(() -> client.getTask(new TaskQueryParams(started.getId()), DEPLOYER).getStatus().state().isFinal());
        Task done = client.getTask(new TaskQueryParams(started.getId()), DEPLOYER);
        assertThat(done.getStatus().state()).isEqualTo(TaskState.REJECTED);
        assertThat(done.getContextId()).isEqualTo(started.getContextId());
        assertThat(done.getArtifacts()).hasSize(1);
        Map<String, Object> answer = ((DataPart) done.getArtifacts().get(0).parts().get(0)).getData();
        assertThat(answer).containsEntry("action", "acknowledgement");
        assertThat(answer.get("outcome").toString()).contains("refused", "delivery.sha256",
                "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");

        assertThatThrownBy(() -> client.cancelTask(new TaskIdParams(started.getId()), DEPLOYER))
                .isInstanceOf(A2AClientException.class).hasMessageContaining("already rejected")
                .cause().extracting(e -> ((JSONRPCError) e).getCode()).isEqualTo(-32002);
        assertThatThrownBy(() -> client.getTask(new TaskQueryParams("no-such-task"), DEPLOYER))
                .isInstanceOf(A2AClientException.class)
                .cause().extracting(e -> ((JSONRPCError) e).getCode()).isEqualTo(-32001);
    }

    @Test
    void aDeploymentRequestContinuesTheSendersSpanAndReachesTheDataScientistOverA2aUnderItsTrace() throws Exception {
        String id = "pm-" + UUID.randomUUID();
        client().sendMessage(message(AgentCards.DEPLOYMENT_REQUEST.replaceFirst("\\{",
                "{\"message_id\": \"" + id + "\", ")), DEPLOYER);
        assertThat(data(answered())).containsEntry("action", "acknowledgement").containsEntry("in_reply_to", id);

        await().until(() -> !A2aTeam.dataScientist.received().isEmpty());
        StandInA2aAgent.Received got = A2aTeam.dataScientist.received().get(0);
        assertThat(got.request().path("method").asText()).isEqualTo("message/send");
        assertThat(got.message().path("role").asText()).isEqualTo("user");
        assertThat(got.message().path("parts").get(0).path("kind").asText()).isEqualTo("data");
        assertThat(got.traceparent()).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-");
        assertThat(got.envelope().path("action").asText()).isEqualTo("model_deployment_request");
        assertThat(got.envelope().path("sender").asText()).isEqualTo("quiver_ml_engineer");
        assertThat(got.envelope().path("correlation_id").asText()).isEqualTo(id);
        assertThat(got.message().path("messageId").asText()).isEqualTo(got.envelope().path("message_id").asText());
        await().until(() -> spans.getFinishedSpanItems().stream().anyMatch(x -> x.getName().equals("a2a message/send")
                && x.getParentSpanId().equals("00f067aa0ba902b7")));
        SpanData span = spans.getFinishedSpanItems().stream().filter(x -> x.getName().equals("a2a message/send")
                && x.getParentSpanId().equals("00f067aa0ba902b7")).findFirst().orElseThrow();
        assertThat(span.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(span.getLinks()).isNotEmpty();
        // the stand-in's acknowledgement comes back to the inbox through the same door
        await().until(() -> given().auth().oauth2(TestKeys.OBSERVE).get("/agent/audit?correlation_id=" + id)
                .path("findAll { it.event == 'acted' && it.action == 'acknowledgement' && it.peer == 'data_scientist_id'"
                        + " && it.door == 'a2a' }.size()").equals(1));
    }

    @Test
    void aPeerThatAnswersAnErrorIsTriedAgainWithTheSameMessageId() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        A2aTeam.dataScientist.handler(r -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("busy");
            }
            return A2aTeam.dataScientist.acknowledge(r);
        });
        String id = "pm-" + UUID.randomUUID();
        client().sendMessage(message(AgentCards.DEPLOYMENT_REQUEST.replaceFirst("\\{",
                "{\"message_id\": \"" + id + "\", ")), DEPLOYER);

        await().until(() -> A2aTeam.dataScientist.received().size() == 2);
        List<StandInA2aAgent.Received> got = A2aTeam.dataScientist.received();
        assertThat(got.get(1).message().path("messageId").asText())
                .isEqualTo(got.get(0).message().path("messageId").asText());
        await().until(() -> given().auth().oauth2(TestKeys.OBSERVE).get("/agent/audit?correlation_id=" + id)
                .path("findAll { it.door == 'outbox' }.event").equals(List.of("delivered", "retried")));
    }

    @Test
    void aRawJsonRpcRequestAsAnotherImplementationWritesItIsAnswered() {
        String envelope = AgentCards.FEATURE_REQUEST;
        given().auth().oauth2(TestKeys.DEPLOY).contentType(ContentType.JSON).body("""
                {"jsonrpc": "2.0", "id": 7, "method": "message/send",
                 "params": {"message": {"kind": "message", "role": "user", "messageId": "raw-%s",
                   "parts": [{"kind": "data", "data": %s}], "metadata": {"traceparent": "%s"}}}}"""
                        .formatted(UUID.randomUUID(), envelope, TRACEPARENT))
                .post("/a2a").then().statusCode(200).contentType(ContentType.JSON)
                .body("jsonrpc", equalTo("2.0")).body("id", equalTo(7))
                .body("result.kind", equalTo("message")).body("result.role", equalTo("agent"))
                .body("result.parts[0].kind", equalTo("data"))
                .body("result.parts[0].data.action", equalTo("feature_availability"))
                .body("result.parts[0].data.in_reply_to", startsWith("raw-"));
    }

    @Test
    void aTextPartHoldingTheEnvelopeIsReadToo() {
        String text = AgentCards.ISSUE_ALERT.replace("\"", "\\\"");
        given().auth().oauth2(TestKeys.DEPLOY).contentType(ContentType.JSON).body("""
                {"jsonrpc": "2.0", "id": "t-1", "method": "message/send",
                 "params": {"message": {"kind": "message", "role": "user", "messageId": "text-%s",
                   "parts": [{"kind": "text", "text": "%s"}]}}}""".formatted(UUID.randomUUID(), text))
                .post("/a2a").then().statusCode(200).body("id", equalTo("t-1"))
                .body("result.parts[0].data.action", equalTo("acknowledgement"));
    }

    @Test
    void jsonRpcMistakesAreJsonRpcErrorsAndTheDoorNeedsACredential() {
        given().auth().oauth2(TestKeys.DEPLOY).contentType(ContentType.JSON)
                .body("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"message/stream\", \"params\": {}}")
                .post("/a2a").then().statusCode(200).body("error.code", equalTo(-32004));
        given().auth().oauth2(TestKeys.DEPLOY).contentType(ContentType.JSON)
                .body("{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tasks/list\", \"params\": {}}")
                .post("/a2a").then().statusCode(200).body("error.code", equalTo(-32601));
        given().auth().oauth2(TestKeys.DEPLOY).contentType(ContentType.JSON)
                .body("{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\": \"message/send\", \"params\": {\"message\":"
                        + " {\"kind\": \"message\", \"role\": \"user\", \"messageId\": \"m\","
                        + " \"parts\": [{\"kind\": \"text\", \"text\": \"hello\"}]}}}")
                .post("/a2a").then().statusCode(200).body("error.code", equalTo(-32602))
                .body("error.message", containsString("params.message.parts"));
        given().auth().oauth2(TestKeys.DEPLOY).contentType(ContentType.JSON).body("{not json")
                .post("/a2a").then().statusCode(200).body("error.code", equalTo(-32700));
        given().contentType(ContentType.JSON).body("{\"jsonrpc\": \"2.0\", \"id\": 4, \"method\": \"tasks/get\"}")
                .post("/a2a").then().statusCode(401);
        given().auth().oauth2(TestKeys.INVOKE).contentType(ContentType.JSON)
                .body("{\"jsonrpc\": \"2.0\", \"id\": 5, \"method\": \"tasks/get\"}")
                .post("/a2a").then().statusCode(403);
    }
}
