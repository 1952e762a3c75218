package dev.quiver.agent.inbox;

import dev.quiver.agent.Acknowledgement;
import dev.quiver.agent.DeploymentRequest;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Messages;
import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.agent.incident.FileIncidentLog;
import dev.quiver.agent.incident.IncidentHandler;
import dev.quiver.agent.incident.RolloutControl;
import dev.quiver.agent.journal.LoggedJournal;
import dev.quiver.agent.memory.FileMemories;
import dev.quiver.agent.journal.Journal;
import dev.quiver.agent.journal.JournalEntry;
import dev.quiver.agent.ledger.FileMessageLedger;
import dev.quiver.agent.outbox.FileOutboxStore;
import dev.quiver.agent.outbox.Outbox;
import dev.quiver.agent.outbox.Outgoing;
import dev.quiver.agent.outbox.RetryPolicy;
import dev.quiver.agent.task.Task;
import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import dev.quiver.testing.SimClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class InboxTest {

    private static final String SELF = "quiver_ml_engineer";

    @TempDir
    Path dir;

    private final SimClock clock = new SimClock();
    private final AgentDirectory team = new AgentDirectory(new AgentDirectory.Self(SELF, "Quiver", "ML engineer", null),
            Map.of("project_manager", "pm", "data_scientist", "ds", "data_engineer", "de"),
            Map.of("pm", new AgentDirectory.Agent(null, null, "http://127.0.0.1:1/events"),
                    "ds", new AgentDirectory.Agent("http://127.0.0.1:2", null, null),
                    "de", new AgentDirectory.Agent(null, "team.de", null)));
    private final List<Outgoing> delivered = new CopyOnWriteArrayList<>();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final List<String> counted = new CopyOnWriteArrayList<>();
    private final Intake intake = new Intake();
    private final Rollouts rollouts = new Rollouts();
    private LoggedJournal journal;
    private Outbox outbox;

    /** A model intake that accepts after {@code failures} unreachable tries, refusing a version named "slow". */
    private static final class Intake implements ModelIntake {
        int failures;
        final AtomicInteger tries = new AtomicInteger();
        final List<Candidate> accepted = new CopyOnWriteArrayList<>();

        @Override
        public void check(Candidate c) {
            if (c.model().artifact().uri() != null && !c.model().artifact().uri().startsWith("s3://quiver-models/")) {
                throw QuiverException.badInput("delivery.artifact.uri", "is outside the allowed stores");
            }
        }

        @Override
        public CompletionStage<Acknowledgement.Outcome> accept(Candidate c, BooleanSupplier canceled) {
            if (tries.incrementAndGet() <= failures) {
                return CompletableFuture.failedStage(QuiverException.unavailable("predict is down"));
            }
            if (c.model().version().equals("slow")) {
                return CompletableFuture.completedStage(new Acknowledgement.Outcome(Acknowledgement.Status.REFUSED,
                        "p99 12 ms is over the required 10 ms", null));
            }
            accepted.add(c);
            return CompletableFuture.completedStage(new Acknowledgement.Outcome(Acknowledgement.Status.DONE,
                    "Registered as version 2 and rolling out", dev.quiver.json.Json.MAPPER.createObjectNode()
                    .put("version", "2").set("rollout", dev.quiver.json.Json.MAPPER.createObjectNode()
                            .put("id", "churn-r9"))));
        }
    }

    private static final class Rollouts implements RolloutControl {
        int down;
        Snapshot latest;
        final List<String> rolledBack = new ArrayList<>();

        @Override
        public CompletionStage<Optional<Running>> running(String model) {
            if (down > 0) {
                down--;
                return CompletableFuture.failedStage(QuiverException.unavailable("predict is down"));
            }
            return CompletableFuture.completedStage(Optional.of(new Running("r", "1", "2")));
        }

        @Override
        public CompletionStage<Optional<Snapshot>> latest(String model) {
            return CompletableFuture.completedStage(Optional.ofNullable(latest));
        }

        @Override
        public CompletionStage<Void> rollBack(String model, String by, String why) {
            rolledBack.add(model);
            return CompletableFuture.completedStage(null);
        }
    }

    private Inbox inbox() {
        return inbox("ledger");
    }

    /** An inbox on this test's stores, with its own message ledger: a restarted function, or another instance. */
    private Inbox inbox(String ledger) {
        journal = LoggedJournal.inFile(dir.resolve("journal.jsonl"), 1000, problem -> {
        });
        Inbox.Observer observer = (action, door, outcome) -> counted.add(action + " " + outcome.wireName());
        outbox = new Outbox(new FileOutboxStore(dir.resolve("outbox")), team, (m, agent) -> {
            delivered.add(m);
            return CompletableFuture.completedStage(null);
        }, RetryPolicy.DEFAULTS, clock, Inbox.journaling(journal, observer, clock));
        return new Inbox(new Inbox.Parts(SELF, team, new FileMessageLedger(dir.resolve(ledger)), journal, outbox,
                rollouts, new IncidentHandler(rollouts, new FileIncidentLog(dir.resolve("incidents.jsonl")), SELF, clock),
                null, intake, deadLetters::add, observer, clock,
                new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)), Messages.DEFAULT_MAX_BYTES,
                new FileMemories(dir.resolve("memory"))));
    }

    @AfterEach
    void close() {
        if (journal != null) {
            journal.close();
        }
    }

    private static Inbox.Reply receive(Inbox inbox, String json) {
        return Stages.join(inbox.receive(json.getBytes(StandardCharsets.UTF_8), Door.HTTP,
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    }

    private static final String ALERT = """
            {"action": "model_issue_alert", "recipient": "project_manager_id", "message_id": "%s",
             "issue": {"severity": "high", "model_id": "churn", "issue": "Model accuracy dropped from 0.89 to 0.82",
                       "detected_at": "2024-03-15T10:30:00Z", "action": "Investigating data drift"}}""";

    private static String delivery(String version, String uri) {
        return """
                {"action": "model_delivery", "sender": "ds", "recipient": "%s", "message_id": "d-%s",
                 "in_reply_to": "q-1", "correlation_id": "c-1",
                 "delivery": {"model_id": "churn", "version": "%s", "format": "onnx",
                              "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                              "artifact": {"uri": "%s"}}}""".formatted(SELF, version, version, uri);
    }

    private List<JournalEntry> logged(String correlationId) {
        await().until(() -> !journal.list(new Journal.Filter(null, correlationId, null), 100).isEmpty());
        return journal.list(new Journal.Filter(null, correlationId, null), 100);
    }

    @Test
    void aMessageActsOnceAndADuplicateGetsTheFirstAnswer() {
        Inbox inbox = inbox();
        Inbox.Reply first = receive(inbox, ALERT.formatted("a-1"));
        Inbox.Reply again = receive(inbox, ALERT.formatted("a-1"));

        assertThat(rollouts.rolledBack).containsExactly("churn");
        assertThat(first.duplicate()).isFalse();
        assertThat(again.duplicate()).isTrue();
        assertThat(Messages.toJson(again.answer())).isEqualTo(Messages.toJson(first.answer()));
        assertThat(counted).contains("model_issue_alert received", "model_issue_alert acted",
                "model_issue_alert duplicate");
    }

    @Test
    void aMessageWithoutAnIdIsGivenOneThatItsAnswerAndTheLogName() {
        Inbox inbox = inbox();
        Inbox.Reply r = receive(inbox, ALERT.formatted("x").replace("\"message_id\": \"x\",", ""));

        String id = r.received().header().messageId();
        assertThat(id).isNotBlank();
        assertThat(((Acknowledgement) r.answer()).inReplyTo()).isEqualTo(id);
        assertThat(logged(id)).extracting(JournalEntry::event).contains("received", "acted");
        assertThat(logged(id)).extracting(JournalEntry::traceId).contains("0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void anUnreadableMessageIsRefusedNamingTheFieldAndLogged() {
        Inbox inbox = inbox();
        assertThatThrownBy(() -> receive(inbox, "{\"action\": \"model_retirement_request\", \"recipient\": \"x\"}"))
                .isInstanceOfSatisfying(QuiverException.class, e -> assertThat(e.field()).isEqualTo("action"));
        assertThat(counted).containsExactly("unknown refused");
        await().until(() -> journal.list(Journal.Filter.ALL, 10).size() == 1);
        assertThat(journal.list(Journal.Filter.ALL, 10).get(0).summary()).contains("action");
    }

    @Test
    void quiversOwnEnvelopeIsRelayedToItsRecipientOnce() {
        Inbox inbox = inbox();
        String alert = ALERT.formatted("q-9").replace("\"recipient\": \"project_manager_id\"",
                "\"recipient\": \"pm\", \"sender\": \"" + SELF + "\"");
        Inbox.Reply r = receive(inbox, alert);
        receive(inbox, alert);
        Stages.join(outbox.deliverDue());

        assertThat(((Acknowledgement) r.answer()).outcome().status()).isEqualTo(Acknowledgement.Status.ACCEPTED);
        assertThat(rollouts.rolledBack).isEmpty();
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).recipient()).isEqualTo("pm");
        assertThat(delivered.get(0).traceparent()).startsWith("00-0af7651916cd43dd8448eb211c80319c");
        assertThat(logged("q-9")).extracting(JournalEntry::event).contains("received", "sent", "delivered");
    }

    @Test
    void aRequestForAModelIsPassedToTheDataScientistAndItsDeliveryIsTakenInAsATask() {
        Inbox inbox = inbox();
        Inbox.Reply asked = receive(inbox, """
                {"action": "model_deployment_request", "recipient": "data_scientist_id", "message_id": "pm-1",
                 "request": {"model_id": "churn", "requirements": {"latency": "< 10ms", "format": "ONNX"}}}""");
        Stages.join(outbox.deliverDue());
        DeploymentRequest ours = (DeploymentRequest) Messages.parse(delivered.get(0).body());
        assertThat(ours.header().recipient()).isEqualTo("ds");
        assertThat(ours.header().sender()).isEqualTo(SELF);
        assertThat(ours.header().correlationId()).isEqualTo("pm-1");
        assertThat(((Acknowledgement) asked.answer()).outcome().summary()).contains("Asked ds");

        String reply = delivery("2", "s3://quiver-models/churn/2/model.onnx")
                .replace("\"in_reply_to\": \"q-1\"", "\"in_reply_to\": \"" + ours.header().messageId() + "\"");
        Inbox.Reply r = receive(inbox, reply);

        assertThat(r.task()).isNotNull();
        await().until(() -> inbox.tasks().get(r.task().id()).orElseThrow().state() == Task.State.COMPLETED);
        assertThat(intake.accepted).singleElement().satisfies(c -> {
            assertThat(c.requirements().latency()).isEqualTo("< 10ms");
            assertThat(c.deliveredBy()).isEqualTo("ds");
        });
        Stages.join(outbox.deliverDue());
        assertThat(delivered).last().satisfies(m -> {
            assertThat(m.recipient()).isEqualTo("ds");
            assertThat(m.body()).contains("Registered as version 2");
        });
    }

    @Test
    void theProjectManagerHearsHowTheRolloutOfADeliveredModelEndedInItsExchange() {
        Inbox inbox = inbox();
        Inbox.Reply r = receive(inbox, delivery("2", "s3://quiver-models/churn/2/model.onnx"));
        await().until(() -> inbox.tasks().get(r.task().id()).orElseThrow().state() == Task.State.COMPLETED);

        rollouts.latest = new RolloutControl.Snapshot("churn-r9", "1", "2", "running");
        assertThat(Stages.join(inbox.checkRollouts())).isZero();
        rollouts.latest = new RolloutControl.Snapshot("churn-r9", "1", "2", "promoted");
        assertThat(Stages.join(inbox.checkRollouts())).isEqualTo(1);
        assertThat(Stages.join(inbox.checkRollouts())).isZero();

        Stages.join(outbox.deliverDue());
        IssueAlert told = delivered.stream().filter(m -> m.recipient().equals("pm"))
                .map(m -> (IssueAlert) Messages.parse(m.body())).findFirst().orElseThrow();
        assertThat(told.header().correlationId()).isEqualTo("c-1");
        assertThat(told.header().sender()).isEqualTo(SELF);
        assertThat(told.issue().severity()).isEqualTo(dev.quiver.agent.Severity.LOW);
        assertThat(told.issue().issue()).isEqualTo("churn version 2 was promoted to champion after its rollout");
        assertThat(delivered.stream().filter(m -> m.recipient().equals("pm")).findFirst().orElseThrow().traceparent())
                .startsWith("00-0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void aDeliveryThatAnotherInstanceTakesIsHeldToTheRequirementsThisOneAskedFor() {
        receive(inbox(), """
                {"action": "model_deployment_request", "recipient": "data_scientist_id", "message_id": "pm-2",
                 "request": {"model_id": "churn", "requirements": {"latency": "< 10ms", "format": "ONNX"}}}""");
        Stages.join(outbox.deliverDue());
        DeploymentRequest ours = (DeploymentRequest) Messages.parse(delivered.get(0).body());
        journal.close();

        Inbox other = inbox("ledger-of-another-instance");
        Inbox.Reply r = receive(other, delivery("2", "s3://quiver-models/churn/2/model.onnx")
                .replace("\"in_reply_to\": \"q-1\"", "\"in_reply_to\": \"" + ours.header().messageId() + "\""));

        await().until(() -> other.tasks().get(r.task().id()).orElseThrow().state() == Task.State.COMPLETED);
        assertThat(intake.accepted).singleElement()
                .satisfies(c -> assertThat(c.requirements().latency()).isEqualTo("< 10ms"));
    }

    @Test
    void aRolloutThatOneInstanceStartedIsReportedByAnotherWhenItEnds() {
        Inbox first = inbox();
        Inbox.Reply r = receive(first, delivery("2", "s3://quiver-models/churn/2/model.onnx"));
        await().until(() -> first.tasks().get(r.task().id()).orElseThrow().state() == Task.State.COMPLETED);
        journal.close();

        Inbox other = inbox("ledger-of-another-instance");
        rollouts.latest = new RolloutControl.Snapshot("churn-r9", "1", "2", "rolled_back");
        assertThat(Stages.join(other.checkRollouts())).isEqualTo(1);
    }

    @Test
    void aDeliveryFromOutsideTheAllowedStoresIsRefusedBeforeAnyWork() {
        Inbox inbox = inbox();
        assertThatThrownBy(() -> receive(inbox, delivery("2", "https://evil.example/model.onnx")))
                .isInstanceOfSatisfying(QuiverException.class,
                        e -> assertThat(e.field()).isEqualTo("delivery.artifact.uri"));
        assertThat(intake.tries).hasValue(0);
        assertThat(inbox.tasks().list()).isEmpty();
        // refused, not acted: the same message may be sent again, corrected
        intake.failures = 0;
        assertThat(receive(inbox, delivery("2", "s3://quiver-models/churn/2/model.onnx")).duplicate()).isFalse();
    }

    @Test
    void aModelThatMissesItsRequirementsEndsTheTaskRejected() {
        Inbox inbox = inbox();
        Inbox.Reply r = receive(inbox, delivery("slow", "s3://quiver-models/churn/slow/model.onnx"));
        await().until(() -> inbox.tasks().get(r.task().id()).orElseThrow().state() == Task.State.REJECTED);
        assertThat(counted).contains("model_delivery refused");
    }

    @Test
    void aFailingActionIsTriedAgainThenDeadLettered() {
        Inbox inbox = inbox();
        rollouts.down = 2;
        receive(inbox, ALERT.formatted("a-2"));
        assertThat(rollouts.rolledBack).containsExactly("churn");
        assertThat(counted).containsSubsequence("model_issue_alert retried", "model_issue_alert retried",
                "model_issue_alert acted");

        rollouts.down = 3;
        Inbox.Reply r = receive(inbox, ALERT.formatted("a-3"));
        assertThat(((Acknowledgement) r.answer()).outcome().status()).isEqualTo(Acknowledgement.Status.FAILED);
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.messageId()).isEqualTo("a-3");
            assertThat(d.reason()).contains("3 tries", "predict is down");
        });
        assertThat(counted).contains("model_issue_alert dead_lettered");
        assertThat(receive(inbox, ALERT.formatted("a-3")).duplicate()).isTrue();
    }

    @Test
    void theJournalSurvivesARestartAndFiltersByModelCorrelationAndAction() {
        Inbox inbox = inbox();
        receive(inbox, ALERT.formatted("a-4"));
        logged("a-4");
        journal.close();
        LoggedJournal reopened = LoggedJournal.inFile(dir.resolve("journal.jsonl"), 1000, problem -> {
            throw new AssertionError(problem);
        });
        try {
            assertThat(reopened.list(new Journal.Filter("churn", "a-4", "model_issue_alert"), 10))
                    .extracting(JournalEntry::event).containsExactly("acted", "received");
            assertThat(reopened.list(new Journal.Filter("other", null, null), 10)).isEmpty();
        } finally {
            reopened.close();
        }
    }
}
