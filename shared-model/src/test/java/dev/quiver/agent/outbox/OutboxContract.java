package dev.quiver.agent.outbox;

import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.error.Stages;
import dev.quiver.testing.SimClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static dev.quiver.error.QuiverException.Kind.BAD_INPUT;
import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the outbox promises over every {@link OutboxStore}: each store's tests extend this with {@link #store()}. A
 * test's stores share their data, as a restarted function's or another instance's do.
 */
public abstract class OutboxContract {

    @TempDir
    protected Path dir;

    /** A store over this test's data: every call within one test sees what the others kept. */
    protected abstract OutboxStore store();

    private final SimClock clock = new SimClock();
    private final AgentDirectory team = new AgentDirectory(null, Map.of("project_manager", "pm"),
            Map.of("pm", new AgentDirectory.Agent(null, "team.pm", null)));
    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(3));

    /** A courier that fails its first {@code failures} deliveries, or holds each one until the test completes it. */
    private static final class Scripted implements Courier {
        int failures;
        boolean hold;
        final List<String> tried = new ArrayList<>();
        final List<CompletableFuture<Void>> held = new ArrayList<>();

        @Override
        public CompletionStage<Void> deliver(Outgoing message, AgentDirectory.Agent recipient) {
            tried.add(message.recipient() + " " + recipient.address() + " " + message.body());
            if (hold) {
                CompletableFuture<Void> later = new CompletableFuture<>();
                held.add(later);
                return later;
            }
            if (failures > 0) {
                failures--;
                return CompletableFuture.failedStage(new IllegalStateException("broker down"));
            }
            return CompletableFuture.completedStage(null);
        }
    }

    private Outbox outbox(Scripted courier) {
        return new Outbox(store(), team, courier, policy, clock);
    }

    private static Outbox.Round round(Outbox o) {
        return Stages.join(o.deliverDue());
    }

    @Test
    void sendingOnlyQueuesAndARoundDelivers() {
        Scripted courier = new Scripted();
        Outbox o = outbox(courier);

        o.send("pm", "{\"action\":\"model_issue_alert\"}");

        assertThat(courier.tried).isEmpty();
        assertThat(o.pending()).isEqualTo(1);
        assertThat(round(o)).isEqualTo(new Outbox.Round(1, 0, 0));
        assertThat(courier.tried).containsExactly("pm team.pm {\"action\":\"model_issue_alert\"}");
        assertThat(o.pending()).isZero();
        assertThat(round(o)).isEqualTo(new Outbox.Round(0, 0, 0));
    }

    @Test
    void aFailedDeliveryIsTriedAgainAfterTheBackoffNotBefore() {
        Scripted courier = new Scripted();
        courier.failures = 2;
        Outbox o = outbox(courier);
        o.send("pm", "m");

        assertThat(round(o).retried()).isEqualTo(1);
        clock.now = clock.now.plusMillis(999);
        assertThat(round(o)).isEqualTo(new Outbox.Round(0, 0, 0));
        clock.now = clock.now.plusMillis(1);
        assertThat(round(o).retried()).isEqualTo(1);
        clock.now = clock.now.plusMillis(1999);
        assertThat(round(o)).isEqualTo(new Outbox.Round(0, 0, 0));
        clock.now = clock.now.plusMillis(1);
        assertThat(round(o).delivered()).isEqualTo(1);
        assertThat(courier.tried).hasSize(3);
        assertThat(o.deadLetters()).isEmpty();
    }

    @Test
    void aMessageWhoseTriesAreSpentBecomesADeadLetterWithTheReason() {
        Scripted courier = new Scripted();
        courier.failures = 100;
        Outbox o = outbox(courier);
        o.send("pm", "m");

        for (int i = 0; i < 5; i++) {
            round(o);
            clock.now = clock.now.plusSeconds(10);
        }

        assertThat(courier.tried).hasSize(3);
        assertThat(o.pending()).isZero();
        DeadLetter dead = o.deadLetters().get(0);
        assertThat(dead.reason()).isEqualTo("gave up after 3 tries: broker down");
        assertThat(dead.message().body()).isEqualTo("m");
        assertThat(dead.message().attempts()).isEqualTo(3);
    }

    @Test
    void whatWaitsSurvivesARestart() {
        Scripted down = new Scripted();
        down.failures = 1;
        outbox(down).send("pm", "kept");
        round(outbox(down));

        Scripted up = new Scripted();
        Outbox restarted = outbox(up);
        assertThat(restarted.pending()).isEqualTo(1);
        clock.now = clock.now.plusSeconds(1);
        assertThat(round(restarted).delivered()).isEqualTo(1);
        assertThat(up.tried).containsExactly("pm team.pm kept");
    }

    @Test
    void anUnknownRecipientIsRefusedAtOnceAndOneThatLeftIsADeadLetter() {
        Outbox o = outbox(new Scripted());
        var e = expect(BAD_INPUT, "recipient", () -> o.send("data_scientist_id", "m"));
        assertThat(e.reason()).contains("'data_scientist_id'").contains("[pm]");
        expect(BAD_INPUT, "body", () -> o.send("pm", ""));

        o.send("pm", "m");
        Outbox afterTheTeamChanged = new Outbox(store(),
                new AgentDirectory(null, Map.of(), Map.of()), new Scripted(), policy, clock);
        assertThat(round(afterTheTeamChanged).deadLettered()).isEqualTo(1);
        assertThat(afterTheTeamChanged.deadLetters().get(0).reason()).contains("no longer in the agent directory");
    }

    @Test
    void aSlowRecipientHoldsUpNeitherSendingNorASecondDelivery() {
        Scripted slow = new Scripted();
        slow.hold = true;
        Outbox o = outbox(slow);
        o.send("pm", "first");

        CompletionStage<Outbox.Round> inFlight = o.deliverDue();
        o.send("pm", "second");
        assertThat(round(o)).as("a round while one is delivering").isEqualTo(new Outbox.Round(0, 0, 0));
        assertThat(slow.tried).containsExactly("pm team.pm first");

        slow.held.get(0).complete(null);
        assertThat(Stages.join(inFlight).delivered()).isEqualTo(1);
        slow.hold = false;
        assertThat(round(o).delivered()).isEqualTo(1);
        assertThat(slow.tried).containsExactly("pm team.pm first", "pm team.pm second");
    }
}
