package dev.quiver.agent.outbox;

import dev.quiver.agent.MessageIds;
import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.error.Check;
import dev.quiver.error.Stages;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What Quiver sends to other agents, kept until it is delivered or given up: {@link #send} only records the message,
 * so a recipient that is down never holds up the prediction, drift evaluation or rollout that had something to say;
 * {@link #deliverDue}, called on a schedule, tries what is due through the {@link Courier}, retries a failure after the
 * {@link RetryPolicy}'s backoff and turns a message into a {@link DeadLetter} once its tries are spent.
 *
 * <p>Threading: {@link #send} is safe from any thread. Rounds of {@link #deliverDue} do not overlap: a call made while
 * one is still delivering returns an empty round at once, so no message is ever being delivered twice at a time.
 */
public final class Outbox {

    /** The most messages one round tries. */
    static final int ROUND = 100;

    private final OutboxStore store;
    private final AgentDirectory directory;
    private final Courier courier;
    private final RetryPolicy policy;
    private final Clock clock;
    private final AtomicBoolean delivering = new AtomicBoolean();

    private final Listener listener;

    public Outbox(OutboxStore store, AgentDirectory directory, Courier courier, RetryPolicy policy, Clock clock) {
        this(store, directory, courier, policy, clock, Listener.NONE);
    }

    public Outbox(OutboxStore store, AgentDirectory directory, Courier courier, RetryPolicy policy, Clock clock,
                  Listener listener) {
        this.store = store;
        this.directory = directory;
        this.courier = courier;
        this.policy = policy;
        this.clock = clock;
        this.listener = listener;
    }

    /** Told what became of each delivery, for the audit log and metrics; must not throw or block. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void delivered(Outgoing message) {
        }

        default void retried(Outgoing message) {
        }

        default void deadLettered(DeadLetter letter) {
        }
    }

    /** What one round did. */
    public record Round(int delivered, int retried, int deadLettered) {
        static final Round NONE = new Round(0, 0, 0);
    }

    /**
     * Queues {@code body} for {@code recipientId}, due now, and returns the outbox's id for it. Fails with BAD_INPUT
     * on {@code recipient} for an agent the directory does not list, and on {@code body} for an empty one.
     */
    public String send(String recipientId, String body) {
        return send(recipientId, body, null);
    }

    /** {@link #send(String, String)}, delivered under the W3C trace context {@code traceparent} (null: none). */
    public String send(String recipientId, String body, String traceparent) {
        Check.that(recipientId != null && directory.agent(recipientId).isPresent(), "recipient",
                "agent '" + recipientId + "' is not in the agent directory; it lists " + directory.agents().keySet());
        Check.that(body != null && !body.isEmpty(), "body", "must not be empty");
        String id = MessageIds.next();
        store.put(new Outgoing(id, recipientId, body, clock.instant(), 0, clock.instant(), null, traceparent));
        return id;
    }

    /** Tries every message that is due; the stage completes when each try has succeeded or been rescheduled. */
    public CompletionStage<Round> deliverDue() {
        if (!delivering.compareAndSet(false, true)) {
            return CompletableFuture.completedStage(Round.NONE);
        }
        List<Outgoing> due;
        try {
            due = store.due(clock.instant(), ROUND);
        } catch (RuntimeException e) {
            delivering.set(false);
            return CompletableFuture.failedStage(e);
        }
        List<CompletableFuture<Outcome>> tries = new ArrayList<>(due.size());
        for (Outgoing m : due) {
            tries.add(attempt(m).toCompletableFuture());
        }
        return CompletableFuture.allOf(tries.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> {
            delivering.set(false);
            int delivered = 0;
            int retried = 0;
            int dead = 0;
            for (CompletableFuture<Outcome> t : tries) {
                switch (t.join()) {
                    case DELIVERED -> delivered++;
                    case RETRIED -> retried++;
                    case DEAD -> dead++;
                }
            }
            return new Round(delivered, retried, dead);
        });
    }

    private enum Outcome { DELIVERED, RETRIED, DEAD }

    private CompletionStage<Outcome> attempt(Outgoing m) {
        var recipient = directory.agent(m.recipient());
        if (recipient.isEmpty()) {
            dead(new DeadLetter(m, "agent '" + m.recipient() + "' is no longer in the agent directory",
                    clock.instant()));
            return CompletableFuture.completedStage(Outcome.DEAD);
        }
        return Stages.call(() -> courier.deliver(m, recipient.get())).handle((ok, failure) -> {
            if (failure == null) {
                store.remove(m.id());
                listener.delivered(m);
                return Outcome.DELIVERED;
            }
            Throwable cause = Stages.unwrap(failure);
            String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            Outgoing after = m.failed(why, clock.instant().plus(policy.delayAfter(m.attempts() + 1)));
            if (after.attempts() >= policy.maxAttempts()) {
                dead(new DeadLetter(after, "gave up after " + after.attempts() + " tries: " + why, clock.instant()));
                return Outcome.DEAD;
            }
            store.put(after);
            listener.retried(after);
            return Outcome.RETRIED;
        });
    }

    private void dead(DeadLetter letter) {
        store.deadLetter(letter);
        listener.deadLettered(letter);
    }

    /** What waits for delivery. */
    public int pending() {
        return store.pending();
    }

    /** What was given up, the oldest first. */
    public List<DeadLetter> deadLetters() {
        return store.deadLetters();
    }
}
