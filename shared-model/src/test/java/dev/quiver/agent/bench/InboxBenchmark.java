package dev.quiver.agent.bench;

import dev.quiver.agent.memory.Memories;
import dev.quiver.agent.Messages;
import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.agent.inbox.Door;
import dev.quiver.agent.inbox.Inbox;
import dev.quiver.agent.incident.Incident;
import dev.quiver.agent.incident.IncidentHandler;
import dev.quiver.agent.incident.IncidentLog;
import dev.quiver.agent.incident.RolloutControl;
import dev.quiver.agent.journal.Journal;
import dev.quiver.agent.journal.JournalEntry;
import dev.quiver.agent.ledger.MessageLedger;
import dev.quiver.agent.outbox.DeadLetter;
import dev.quiver.agent.outbox.Outbox;
import dev.quiver.agent.outbox.OutboxStore;
import dev.quiver.agent.outbox.Outgoing;
import dev.quiver.agent.outbox.RetryPolicy;
import dev.quiver.error.Stages;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent issue's in-process figure: envelope validation and routing, at least 50,000 messages a second on one
 * core. Each operation hands {@link Inbox#receive(byte[], Door, String)} one of the team's envelopes with a fresh
 * message id, as UTF-8 bytes, and takes its answer: read and checked, the id claimed and the answer recorded in the
 * ledger, routed to its handler, the answer built, every step written to the audit log. The stores are in memory
 * (a map for the ledger and the outbox, a counter for the audit log and the incident log), so the figure is the
 * agent's own work and not the disk's: {@code model_deployment_request} is passed to the data scientist (queued in
 * the outbox), {@code feature_store_request} is answered without a feature store (every feature missing), and a
 * {@code low} {@code model_issue_alert} is recorded and acknowledged. Run:
 * {@code ./mvnw -q -pl shared-model -Pbench test-compile exec:exec -Dbench.args="InboxBenchmark -t 1"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InboxBenchmark {

    private static final Map<String, String> ENVELOPES = Map.of(
            "model_deployment_request", """
                    {"message_id": "%s", "action": "model_deployment_request", "recipient": "data_scientist_id",
                     "request": {"model_id": "churn_prediction_v2",
                                 "requirements": {"latency": "< 100ms", "throughput": "1000 req/s",
                                                  "format": "ONNX or TensorRT"}}}""",
            "feature_store_request", """
                    {"message_id": "%s", "action": "feature_store_request", "recipient": "data_engineer_id",
                     "request": {"features": ["user_age", "purchase_history", "last_login"],
                                 "latency_requirement": "real-time", "update_frequency": "hourly"}}""",
            "model_issue_alert", """
                    {"message_id": "%s", "action": "model_issue_alert", "recipient": "project_manager_id",
                     "issue": {"severity": "low", "model_id": "churn_prediction_v2",
                               "issue": "Model accuracy dropped from 0.89 to 0.82",
                               "detected_at": "2024-03-15T10:30:00Z", "action": "Investigating data drift"}}""");

    @Param({"model_deployment_request", "feature_store_request", "model_issue_alert"})
    public String action;

    private String[] parts;
    private final AtomicLong ids = new AtomicLong();
    private Inbox inbox;

    @Setup
    public void setUp() {
        parts = ENVELOPES.get(action).split("%s");
        AgentDirectory team = new AgentDirectory(new AgentDirectory.Self("quiver", "Quiver", "ML engineer", null),
                Map.of("project_manager", "project_manager_id", "data_scientist", "data_scientist_id",
                        "data_engineer", "data_engineer_id"),
                Map.of("project_manager_id", new AgentDirectory.Agent(null, null, "http://127.0.0.1:1/pm"),
                        "data_scientist_id", new AgentDirectory.Agent("http://127.0.0.1:2", null, null),
                        "data_engineer_id", new AgentDirectory.Agent(null, "team.de", null)));
        Clock clock = Clock.systemUTC();
        Outbox outbox = new Outbox(new MemoryOutbox(), team, (m, a) -> CompletableFuture.completedStage(null),
                RetryPolicy.DEFAULTS, clock);
        RolloutControl none = new RolloutControl() {
            @Override
            public CompletionStage<Optional<Running>> running(String model) {
                return CompletableFuture.completedStage(Optional.empty());
            }

            @Override
            public CompletionStage<Optional<Snapshot>> latest(String model) {
                return CompletableFuture.completedStage(Optional.empty());
            }

            @Override
            public CompletionStage<Void> rollBack(String model, String by, String why) {
                return CompletableFuture.completedStage(null);
            }
        };
        inbox = new Inbox(new Inbox.Parts("quiver", team, new MemoryLedger(), new CountingJournal(), outbox, none,
                new IncidentHandler(none, new CountingIncidents(), "quiver", clock), null, null, letter -> {
                }, Inbox.Observer.NONE, clock, RetryPolicy.DEFAULTS, Messages.DEFAULT_MAX_BYTES, Memories.inProcess()));
    }

    @Benchmark
    public Inbox.Reply receive() {
        String json = parts[0] + "m-" + ids.incrementAndGet() + parts[1];
        return Stages.join(inbox.receive(json.getBytes(StandardCharsets.UTF_8), Door.HTTP, null));
    }

    /** A ledger in a map: claim is putIfAbsent. */
    static final class MemoryLedger implements MessageLedger {
        private final Map<String, String> answers = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<Claim> claim(String messageId) {
            String before = answers.putIfAbsent(messageId, "");
            return CompletableFuture.completedStage(before == null ? Claim.FIRST
                    : before.isEmpty() ? Claim.PENDING : new Claim(false, before));
        }

        @Override
        public CompletionStage<Void> record(String messageId, String answer) {
            answers.put(messageId, answer);
            return CompletableFuture.completedStage(null);
        }

        @Override
        public CompletionStage<Void> release(String messageId) {
            answers.remove(messageId, "");
            return CompletableFuture.completedStage(null);
        }
    }

    static final class CountingJournal implements Journal {
        final AtomicLong entries = new AtomicLong();

        @Override
        public void append(JournalEntry entry) {
            entries.incrementAndGet();
        }

        @Override
        public List<JournalEntry> list(Filter filter, int limit) {
            return List.of();
        }
    }

    static final class CountingIncidents implements IncidentLog {
        final AtomicLong incidents = new AtomicLong();

        @Override
        public void record(Incident incident) {
            incidents.incrementAndGet();
        }

        @Override
        public List<Incident> recent(int limit) {
            return List.of();
        }
    }

    static final class MemoryOutbox implements OutboxStore {
        private final Map<String, Outgoing> pending = new ConcurrentHashMap<>();

        @Override
        public void put(Outgoing message) {
            // what is queued is not delivered here: keep the map from growing without end
            if (pending.size() > 10_000) {
                pending.clear();
            }
            pending.put(message.id(), message);
        }

        @Override
        public List<Outgoing> due(Instant now, int max) {
            return List.of();
        }

        @Override
        public void remove(String id) {
            pending.remove(id);
        }

        @Override
        public void deadLetter(DeadLetter letter) {
        }

        @Override
        public List<DeadLetter> deadLetters() {
            return List.of();
        }

        @Override
        public int pending() {
            return pending.size();
        }
    }
}
