package dev.quiver.agent.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.agent.Acknowledgement;
import dev.quiver.agent.Action;
import dev.quiver.agent.Answer;
import dev.quiver.agent.DeploymentRequest;
import dev.quiver.agent.Envelope;
import dev.quiver.agent.FeatureAvailability;
import dev.quiver.agent.FeatureRequest;
import dev.quiver.agent.Header;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Message;
import dev.quiver.agent.MessageIds;
import dev.quiver.agent.Messages;
import dev.quiver.agent.ModelDelivery;
import dev.quiver.agent.Severity;
import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.agent.features.FeatureAvailabilityCheck;
import dev.quiver.agent.incident.IncidentHandler;
import dev.quiver.agent.incident.RolloutControl;
import dev.quiver.agent.journal.Journal;
import dev.quiver.agent.memory.Memories;
import dev.quiver.agent.memory.Memory;
import dev.quiver.agent.journal.JournalEntry;
import dev.quiver.agent.ledger.MessageLedger;
import dev.quiver.agent.outbox.Outbox;
import dev.quiver.agent.outbox.RetryPolicy;
import dev.quiver.agent.task.Task;
import dev.quiver.agent.task.TaskBoard;
import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import dev.quiver.json.Json;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The agent's one entry: every door (HTTP, CloudEvents, Kafka, A2A, SQS) hands it a message and returns its
 * {@link Reply}.
 *
 * <ul>
 *   <li>A message that does not read fails at once with BAD_INPUT naming the field; it is counted and logged as
 *       refused, and nothing is done.</li>
 *   <li>A message without an id is given one. Each id acts at most once ({@link MessageLedger}): a duplicate gets
 *       the first answer again.</li>
 *   <li>Quiver's own envelopes (sender: this agent, recipient: another) are relayed: queued in the {@link Outbox}
 *       for the recipient the agent directory names.</li>
 *   <li>What other agents send is acted on: a {@code model_issue_alert} by the {@link IncidentHandler}, a
 *       {@code feature_store_request} by the {@link FeatureAvailabilityCheck}, a {@code model_delivery} or a
 *       {@code model_deployment_request} carrying its model by the {@link ModelIntake}, as a task; a
 *       {@code model_deployment_request} without a model is passed to the data scientist; answers to Quiver's own
 *       requests are recorded.</li>
 *   <li>An action that fails for a reason of the caller's (any {@link QuiverException} but UNAVAILABLE) fails the
 *       stage with it and releases the id, nothing done. One that fails otherwise is tried again with backoff, at
 *       most {@link RetryPolicy#maxAttempts()} times, and then answered {@code failed} and kept as a
 *       {@link DeadLetter}.</li>
 * </ul>
 * Every step is in the {@link Journal} and counted by the {@link Observer}.
 */
public final class Inbox {

    /**
     * What a door answers.
     *
     * @param received  the message as acted on (with the id it was given)
     * @param answer    the answer to send back
     * @param duplicate whether the message id had been seen, and the answer is the first one
     * @param task      the task of long work the message started, or null
     */
    public record Reply(Message received, Answer answer, boolean duplicate, Task task) {
    }

    /** Counts what becomes of messages, per action; must not throw or block. */
    @FunctionalInterface
    public interface Observer {
        Observer NONE = (action, door, outcome) -> {
        };

        /** @param action the action's wire name, or {@code unknown} for a message that did not read */
        void count(String action, String door, Outcome outcome);
    }

    /** Where messages whose action failed on every try are kept; must not throw. */
    public interface DeadLetters {
        void put(DeadLetter letter);
    }

    /**
     * What the inbox works with.
     *
     * @param self        this agent's id
     * @param directory   the team
     * @param ledger      the record of message ids acted on
     * @param journal     the audit log
     * @param outbox      what Quiver sends
     * @param rollouts    the predict function's rollouts, watched after a delivered model starts one
     * @param incidents   the handler of alerts from other agents
     * @param features    the handler of feature requests, or null when no feature store is configured
     * @param intake      the handler of delivered models
     * @param deadLetters where failed messages go
     * @param observer    the metrics
     * @param clock       the time
     * @param retries     how often and how soon a failed action is tried again
     * @param maxBytes    the largest message read
     * @param memories    where conversations are remembered between their messages: the deployment requests sent, the
     *                    rollouts watched, the open feature requests
     */
    public record Parts(String self, AgentDirectory directory, MessageLedger ledger, Journal journal, Outbox outbox,
                        RolloutControl rollouts, IncidentHandler incidents, FeatureAvailabilityCheck features, ModelIntake intake,
                        DeadLetters deadLetters, Observer observer, Clock clock, RetryPolicy retries, int maxBytes,
                        Memories memories) {
    }

    /** How many tasks, open feature requests and sent deployment requests are kept. */
    static final int KEEP = 10_000;

    private final Parts p;
    private final TaskBoard tasks;
    private final FeatureRequestBook featureRequests;
    /** Deployment requests Quiver sent, by message id: a delivery in reply is held to their requirements. */
    private final Memory<DeploymentRequest.Request> asked;
    /** Rollouts started by delivered models, until they finish, by rollout id. */
    private final Memory<Watch> watched;
    /** The trace context each message of long work came in, by message id. */
    private final Map<String, String> traces = new LinkedHashMap<>();

    /** A rollout a delivered model started, watched so the project manager hears how it ended, in its exchange. */
    public record Watch(String model, String rolloutId, String version, String correlationId, String traceparent) {
    }

    public Inbox(Parts parts) {
        this.p = parts;
        this.asked = parts.memories().open("deployment-requests", DeploymentRequest.Request.class, KEEP);
        this.watched = parts.memories().open("rollout-watches", Watch.class, KEEP);
        this.featureRequests = new FeatureRequestBook(parts.memories().open("feature-requests",
                FeatureRequestBook.Open.class, KEEP));
        this.tasks = new TaskBoard(parts.clock(), KEEP, this::finished);
    }

    /** The long work started by messages. */
    public TaskBoard tasks() {
        return tasks;
    }

    /** The feature requests still open. */
    public FeatureRequestBook featureRequests() {
        return featureRequests;
    }

    /** Reads {@code body} (UTF-8 JSON) and acts on it; see the class comment. */
    public CompletionStage<Reply> receive(byte[] body, Door door, String traceparent) {
        Message m;
        try {
            m = Messages.parse(body, p.maxBytes());
        } catch (QuiverException e) {
            refusedUnread(door, traceparent, e);
            throw e;
        }
        return receive(m, door, traceparent);
    }

    /** Checks {@code json}, read by the door within its size limit, and acts on it. */
    public CompletionStage<Reply> receive(JsonNode json, Door door, String traceparent) {
        Message m;
        try {
            m = Messages.parse(json);
        } catch (QuiverException e) {
            refusedUnread(door, traceparent, e);
            throw e;
        }
        return receive(m, door, traceparent);
    }

    /** Acts on {@code message}, which has passed {@link Messages#check}. */
    public CompletionStage<Reply> receive(Message message, Door door, String traceparent) {
        Message m = message.header().messageId() != null ? message
                : withHeader(message, message.header().withId(MessageIds.next()));
        String action = m.action().wireName();
        String traceId = traceId(traceparent);
        p.observer().count(action, door.wireName(), Outcome.RECEIVED);
        note("received", m, m.header().sender(), door.wireName(), null, traceId);
        String id = m.header().messageId();
        return p.ledger().claim(id).thenCompose(claim -> {
            if (!claim.first()) {
                p.observer().count(action, door.wireName(), Outcome.DUPLICATE);
                note("duplicate", m, m.header().sender(), door.wireName(), claim.pending()
                        ? "already being handled" : "answered before: the first answer is given again", traceId);
                Answer first = claim.pending()
                        ? ack(m, Acknowledgement.Status.ACCEPTED, "Message " + id + " is already being handled", null)
                        : (Answer) Messages.parse(claim.answer());
                return CompletableFuture.completedStage(new Reply(m, first, true, null));
            }
            return Stages.call(() -> dispatch(m, door, traceparent, traceId))
                    .handle((reply, failure) -> settle(m, door, traceId, reply, failure))
                    .thenCompose(Function.identity());
        });
    }

    private CompletionStage<Reply> settle(Message m, Door door, String traceId, Reply reply, Throwable failure) {
        String id = m.header().messageId();
        String action = m.action().wireName();
        if (failure == null) {
            Outcome outcome = reply.answer() instanceof Acknowledgement a
                    && a.outcome().status() == Acknowledgement.Status.REFUSED ? Outcome.REFUSED
                    : reply.answer() instanceof Acknowledgement a && a.outcome().status() == Acknowledgement.Status.FAILED
                    ? Outcome.DEAD_LETTERED : Outcome.ACTED;
            if (outcome != Outcome.DEAD_LETTERED) {
                p.observer().count(action, door.wireName(), outcome);
                note(outcome == Outcome.REFUSED ? "refused" : "acted", m, m.header().sender(), door.wireName(),
                        summary(reply.answer()), traceId);
            }
            return p.ledger().record(id, Messages.toJson(reply.answer())).thenApply(v -> reply);
        }
        RuntimeException cause = Stages.cause(failure);
        if (cause instanceof QuiverException q && q.kind() != QuiverException.Kind.UNAVAILABLE) {
            p.observer().count(action, door.wireName(), Outcome.REFUSED);
            note("refused", m, m.header().sender(), door.wireName(), q.getMessage(), traceId);
            return p.ledger().release(id).handle((v, f) -> {
                throw q;
            });
        }
        Answer failed = deadLetter(m, door, traceId, cause);
        return p.ledger().record(id, Messages.toJson(failed)).thenApply(v -> new Reply(m, failed, false, null));
    }

    private CompletionStage<Reply> dispatch(Message m, Door door, String traceparent, String traceId) {
        Header h = m.header();
        if (m instanceof Envelope e && p.self().equals(h.sender()) && !p.self().equals(h.recipient())) {
            return done(m, relay(e, traceparent, traceId));
        }
        if (m instanceof DeploymentRequest r) {
            if (r.request().model() != null) {
                return longWork(m, new ModelIntake.Candidate(r.request().modelId(), r.request().model(),
                        r.request().requirements(), h.sender(), h.exchange(), "request.model", traceparent));
            }
            return done(m, askDataScientist(r, traceparent, traceId));
        }
        if (m instanceof ModelDelivery d) {
            DeploymentRequest.Request request = d.inReplyTo() == null ? null : asked.get(d.inReplyTo()).orElse(null);
            return longWork(m, new ModelIntake.Candidate(d.delivery().modelId(), d.delivery(),
                    request == null ? null : request.requirements(), h.sender(), h.exchange(), "delivery", traceparent));
        }
        if (m instanceof IssueAlert a) {
            return withRetries(() -> p.incidents().handle(a), m, door, traceId, 0).thenApply(ack -> reply(m, ack));
        }
        if (m instanceof FeatureRequest r) {
            if (p.features() == null) {
                return done(m, new FeatureAvailability(Header.replyTo(m, p.self(), p.clock().instant()),
                        h.messageId(), new FeatureAvailability.Availability(r.request().features().stream()
                        .map(f -> FeatureAvailability.Feature.missing(f, "this agent has no feature store to check"))
                        .toList())));
            }
            return withRetries(() -> p.features().check(r, p.self()), m, door, traceId, 0).thenApply(answer -> {
                featureRequests.received(r, answer, p.clock().instant());
                return reply(m, answer);
            });
        }
        if (m instanceof FeatureAvailability f) {
            Optional<FeatureRequestBook.Open> after = featureRequests.answered(f, p.clock().instant());
            String summary = after.map(o -> o.missing().isEmpty()
                            ? "Feature request " + f.inReplyTo() + " is met: every feature is available"
                            : "Feature request " + f.inReplyTo() + " stays open: missing " + o.missing())
                    .orElse("Recorded; no open feature request " + f.inReplyTo());
            return done(m, ack(m, Acknowledgement.Status.DONE, summary, null));
        }
        return done(m, ack(m, Acknowledgement.Status.DONE, "Recorded", null));
    }

    /** Queues Quiver's own envelope for its recipient. */
    private Acknowledgement relay(Envelope e, String traceparent, String traceId) {
        String to = e.header().recipient();
        AgentDirectory.Agent agent = p.directory().agent(to).orElseThrow(() -> QuiverException.badInput("recipient",
                "agent '" + to + "' is not in the agent directory; it lists " + p.directory().agents().keySet()));
        p.outbox().send(to, Messages.toJson(e), traceparent);
        remember(e);
        String how = agent.channel().name().toLowerCase(java.util.Locale.ROOT);
        note("sent", e, to, how, "queued for " + to + " at " + agent.address(), traceId);
        p.observer().count(e.action().wireName(), how, Outcome.RELAYED);
        return ack(e, Acknowledgement.Status.ACCEPTED, "Queued for " + to + " over " + how, null);
    }

    /** Passes a request for a model to the data scientist, as Quiver's own request in the same exchange. */
    private Acknowledgement askDataScientist(DeploymentRequest r, String traceparent, String traceId) {
        String named = r.header().recipient();
        String to = named != null && !named.equals(p.self()) && p.directory().agent(named).isPresent() ? named
                : p.directory().holder(AgentDirectory.Role.DATA_SCIENTIST).map(Map.Entry::getKey)
                .orElseThrow(() -> QuiverException.badInput("recipient", "the agent directory names no data"
                        + " scientist, and '" + named + "' is not an agent it lists"));
        DeploymentRequest ours = new DeploymentRequest(new Header(to, p.self(), MessageIds.next(),
                r.header().exchange(), p.clock().instant()), r.request());
        relay(ours, traceparent, traceId);
        return ack(r, Acknowledgement.Status.ACCEPTED, "Asked " + to + " for a model " + r.request().modelId()
                + "; its delivery will be benchmarked and rolled out", Json.MAPPER.createObjectNode()
                .put("request_id", ours.header().messageId()));
    }

    private void remember(Envelope e) {
        if (e instanceof DeploymentRequest r) {
            asked.put(r.header().messageId(), r.request());
        } else if (e instanceof FeatureRequest r) {
            featureRequests.sent(r, p.clock().instant());
        }
    }

    /** Starts the intake of a model as a task, after the checks that need no work. */
    private CompletionStage<Reply> longWork(Message m, ModelIntake.Candidate candidate) {
        p.intake().check(candidate);
        if (candidate.traceparent() != null) {
            synchronized (traces) {
                traces.put(m.header().messageId(), candidate.traceparent());
                while (traces.size() > KEEP) {
                    traces.remove(traces.keySet().iterator().next());
                }
            }
        }
        Task task = tasks.start(m, candidate.modelId(), canceled ->
                withRetries(() -> p.intake().accept(candidate, canceled), m, null, null, 0)
                        .handle((outcome, failure) -> {
                            if (failure == null) {
                                return (Answer) new Acknowledgement(Header.replyTo(m, p.self(), p.clock().instant()),
                                        m.header().messageId(), outcome);
                            }
                            RuntimeException cause = Stages.cause(failure);
                            if (cause instanceof QuiverException q && q.kind() != QuiverException.Kind.UNAVAILABLE) {
                                return ack(m, Acknowledgement.Status.REFUSED, q.getMessage(), null);
                            }
                            return deadLetter(m, null, null, cause);
                        }));
        ObjectNode details = Json.MAPPER.createObjectNode().put("task_id", task.id()).put("state",
                task.state().wireName());
        return CompletableFuture.completedStage(new Reply(m, ack(m, Acknowledgement.Status.ACCEPTED,
                "Taking " + candidate.modelId() + " version " + candidate.model().version() + " in: its digest is"
                        + " checked, it is benchmarked, and it is rolled out as the challenger if it meets the"
                        + " requirements; task " + task.id(), details), false, task));
    }

    /** A task finished: its answer is logged and sent to the agent that delivered the model. */
    private void finished(Task before, Task after) {
        Answer answer = after.answer();
        if (answer == null) {
            return;
        }
        watch(after, answer);
        boolean refused = after.state() == Task.State.REJECTED;
        if (after.state() != Task.State.FAILED) {
            p.observer().count(after.action(), "task", refused ? Outcome.REFUSED : Outcome.ACTED);
        }
        p.journal().append(new JournalEntry(p.clock().instant(), refused ? "refused" : after.state()
                == Task.State.FAILED ? "failed" : "acted", after.action(), after.messageId(), after.correlationId(),
                after.model(), null, "task", "task " + after.id() + " " + after.state().wireName() + ": "
                + summary(answer), null));
        String to = answer.header().recipient();
        if (to != null && !to.equals(p.self()) && p.directory().agent(to).isPresent()) {
            p.outbox().send(to, Messages.toJson(answer));
            note("sent", answer, to, p.directory().agent(to).get().channel().name().toLowerCase(java.util.Locale.ROOT),
                    "the outcome of task " + after.id(), null);
        }
    }

    /** Starts watching the rollout a completed intake started, when its figures name one. */
    private void watch(Task task, Answer answer) {
        if (task.state() != Task.State.COMPLETED || !(answer instanceof Acknowledgement a)
                || a.outcome().details() == null) {
            return;
        }
        JsonNode rollout = a.outcome().details().path("rollout");
        JsonNode id = rollout.path("rollout").isObject() ? rollout.path("rollout").path("id") : rollout.path("id");
        if (!id.isTextual()) {
            return;
        }
        String traceparent;
        synchronized (traces) {
            traceparent = traces.get(task.messageId());
        }
        watched.put(id.asText(), new Watch(task.model(), id.asText(), a.outcome().details().path("version")
                .asText(null), task.correlationId(), traceparent));
    }

    /**
     * Looks at every rollout a delivered model started; one that finished is reported to the project manager, in the
     * exchange of the delivery: a {@code low} alert when the version was promoted (the incident that asked for it is
     * resolved), a {@code medium} one when it was rolled back. A rollout that cannot be read is looked at next time.
     *
     * @return how many rollouts finished
     */
    public CompletionStage<Integer> checkRollouts() {
        List<Watch> all;
        all = watched.values();
        CompletionStage<Integer> done = CompletableFuture.completedStage(0);
        for (Watch w : all) {
            done = done.thenCompose(n -> p.rollouts().latest(w.model()).handle((latest, failure) -> {
                if (failure != null || latest == null) {
                    return n;
                }
                Optional<RolloutControl.Snapshot> s = latest.filter(r -> r.id().equals(w.rolloutId()));
                if (s.isPresent() && !s.get().finished()) {
                    return n;
                }
                watched.remove(w.rolloutId());
                reportEnd(w, s.orElse(null));
                return n + 1;
            }));
        }
        return done;
    }

    private void reportEnd(Watch w, RolloutControl.Snapshot s) {
        Optional<Map.Entry<String, AgentDirectory.Agent>> pm = p.directory().holder(AgentDirectory.Role.PROJECT_MANAGER);
        boolean promoted = s != null && s.status().equals("promoted");
        String version = s != null ? s.challengerVersion() : w.version();
        String what = s == null ? "Rollout " + w.rolloutId() + " of " + w.model() + " was replaced by another"
                : promoted ? w.model() + " version " + version + " was promoted to champion after its rollout"
                : w.model() + " version " + version + " was rolled back during its rollout";
        if (pm.isEmpty()) {
            p.journal().append(new JournalEntry(p.clock().instant(), "acted", Action.MODEL_ISSUE_ALERT.wireName(), null,
                    w.correlationId(), w.model(), null, "rollout", what + "; no project manager to tell", null));
            return;
        }
        ObjectNode details = Json.MAPPER.createObjectNode().put("version", version).put("rollout", w.rolloutId())
                .put("status", s == null ? "replaced" : s.status());
        IssueAlert alert = new IssueAlert(new Header(pm.get().getKey(), p.self(), MessageIds.next(),
                w.correlationId(), p.clock().instant()), new IssueAlert.Issue(promoted ? Severity.LOW : Severity.MEDIUM,
                w.model(), what, p.clock().instant(), promoted ? "Rolled out the delivered model; the incident is"
                + " resolved" : "The champion serves everyone again; a better model is needed", details));
        relay(Messages.check(alert), w.traceparent(), traceId(w.traceparent()));
    }

    private <T> CompletionStage<T> withRetries(Supplier<CompletionStage<T>> attempt, Message m, Door door,
                                               String traceId, int failures) {
        return Stages.call(attempt).handle((value, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedStage(value);
            }
            RuntimeException cause = Stages.cause(failure);
            boolean retryable = !(cause instanceof QuiverException q) || q.kind() == QuiverException.Kind.UNAVAILABLE;
            if (!retryable || failures + 1 >= p.retries().maxAttempts()) {
                return CompletableFuture.<T>failedStage(cause);
            }
            Duration delay = p.retries().delayAfter(failures + 1);
            p.observer().count(m.action().wireName(), door == null ? "task" : door.wireName(), Outcome.RETRIED);
            note("retried", m, m.header().sender(), door == null ? "task" : door.wireName(), "try " + (failures + 1)
                    + " failed (" + reason(cause) + "); trying again in " + delay.toMillis() + " ms", traceId);
            Supplier<CompletionStage<T>> again = () -> withRetries(attempt, m, door, traceId, failures + 1);
            return CompletableFuture.supplyAsync(again, CompletableFuture.delayedExecutor(delay.toMillis(),
                    TimeUnit.MILLISECONDS)).thenCompose(Function.identity());
        }).thenCompose(Function.identity());
    }

    private Acknowledgement deadLetter(Message m, Door door, String traceId, RuntimeException cause) {
        String why = "gave up after " + p.retries().maxAttempts() + " tries: " + reason(cause);
        p.deadLetters().put(new DeadLetter(p.clock().instant(), m.header().messageId(), m.action().wireName(), why,
                Messages.toJson(m)));
        String via = door == null ? "task" : door.wireName();
        p.observer().count(m.action().wireName(), via, Outcome.DEAD_LETTERED);
        note("dead_lettered", m, m.header().sender(), via, why, traceId);
        return ack(m, Acknowledgement.Status.FAILED, "Could not act on message " + m.header().messageId() + ": "
                + why + "; it is kept as a dead letter", null);
    }

    private void refusedUnread(Door door, String traceparent, QuiverException e) {
        p.observer().count("unknown", door.wireName(), Outcome.REFUSED);
        p.journal().append(new JournalEntry(p.clock().instant(), "refused", null, null, null, null, null,
                door.wireName(), e.getMessage(), traceId(traceparent)));
    }

    private CompletionStage<Reply> done(Message m, Answer answer) {
        return CompletableFuture.completedStage(reply(m, answer));
    }

    private static Reply reply(Message m, Answer answer) {
        return new Reply(m, answer, false, null);
    }

    private Acknowledgement ack(Message m, Acknowledgement.Status status, String summary, ObjectNode details) {
        return new Acknowledgement(Header.replyTo(m, p.self(), p.clock().instant()), m.header().messageId(),
                new Acknowledgement.Outcome(status, summary, details));
    }

    private void note(String event, Message m, String peer, String door, String summary, String traceId) {
        p.journal().append(new JournalEntry(p.clock().instant(), event, m.action().wireName(),
                m.header().messageId(), m.header().exchange(), Messages.modelOf(m), peer, door, summary, traceId));
    }

    private static String summary(Answer answer) {
        if (answer instanceof Acknowledgement a) {
            return a.outcome().status().wireName() + ": " + a.outcome().summary();
        }
        if (answer instanceof FeatureAvailability f) {
            long missing = f.availability().features().stream()
                    .filter(x -> x.status() != FeatureAvailability.Status.AVAILABLE).count();
            return (f.availability().features().size() - missing) + " available, " + missing + " missing";
        }
        return answer.action().wireName();
    }

    private static String reason(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** The trace id of a W3C {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}), or null. */
    static String traceId(String traceparent) {
        if (traceparent == null || traceparent.length() < 55 || traceparent.charAt(2) != '-') {
            return null;
        }
        return traceparent.substring(3, 35);
    }

    private static Message withHeader(Message m, Header h) {
        if (m instanceof DeploymentRequest r) {
            return new DeploymentRequest(h, r.request());
        }
        if (m instanceof FeatureRequest r) {
            return new FeatureRequest(h, r.request());
        }
        if (m instanceof IssueAlert a) {
            return new IssueAlert(h, a.issue());
        }
        if (m instanceof ModelDelivery d) {
            return new ModelDelivery(h, d.inReplyTo(), d.delivery());
        }
        if (m instanceof FeatureAvailability f) {
            return new FeatureAvailability(h, f.inReplyTo(), f.availability());
        }
        Acknowledgement a = (Acknowledgement) m;
        return new Acknowledgement(h, a.inReplyTo(), a.outcome());
    }

    /** An outbox listener that writes each delivery, retry and dead letter to {@code journal} and counts it. */
    public static Outbox.Listener journaling(Journal journal, Observer observer, Clock clock) {
        return new Outbox.Listener() {
            @Override
            public void delivered(dev.quiver.agent.outbox.Outgoing m) {
                log("delivered", m, "delivered to " + m.recipient() + " after " + (m.attempts() + 1) + " tries");
            }

            @Override
            public void retried(dev.quiver.agent.outbox.Outgoing m) {
                log("retried", m, "delivery failed (" + m.lastError() + "); next try at " + m.due());
                observer.count(actionOf(m.body()), "outbox", Outcome.RETRIED);
            }

            @Override
            public void deadLettered(dev.quiver.agent.outbox.DeadLetter letter) {
                log("dead_lettered", letter.message(), letter.reason());
                observer.count(actionOf(letter.message().body()), "outbox", Outcome.DEAD_LETTERED);
            }

            private void log(String event, dev.quiver.agent.outbox.Outgoing m, String summary) {
                Message sent = readBack(m.body());
                journal.append(new JournalEntry(clock.instant(), event, sent == null ? null : sent.action().wireName(),
                        sent == null ? null : sent.header().messageId(), sent == null ? null
                        : sent.header().exchange(), sent == null ? null : Messages.modelOf(sent), m.recipient(),
                        "outbox", summary, traceId(m.traceparent())));
            }
        };
    }

    private static String actionOf(String body) {
        Message m = readBack(body);
        return m == null ? "unknown" : m.action().wireName();
    }

    private static Message readBack(String body) {
        try {
            return Messages.parse(body);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
