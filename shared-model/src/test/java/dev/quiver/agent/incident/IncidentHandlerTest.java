package dev.quiver.agent.incident;

import dev.quiver.agent.Acknowledgement;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Messages;
import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import dev.quiver.testing.SimClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IncidentHandlerTest {

    @TempDir
    Path dir;

    private final SimClock clock = new SimClock();

    /** The predict function's rollouts as the port sees them: one model, churn, maybe with a rollout of 2 over 1. */
    private static final class Rollouts implements RolloutControl {
        RolloutControl.Running running = new RolloutControl.Running("churn/2-x", "1", "2");
        boolean down;
        final List<String> rolledBack = new ArrayList<>();

        @Override
        public CompletionStage<Optional<Running>> running(String model) {
            return CompletableFuture.completedStage(model.equals("churn") ? Optional.ofNullable(running)
                    : Optional.empty());
        }

        @Override
        public CompletionStage<Optional<Snapshot>> latest(String model) {
            return CompletableFuture.completedStage(Optional.empty());
        }

        @Override
        public CompletionStage<Void> rollBack(String model, String by, String why) {
            if (down) {
                return CompletableFuture.failedStage(QuiverException.unavailable("predict is down"));
            }
            rolledBack.add(model + " by " + by + ": " + why);
            running = null;
            return CompletableFuture.completedStage(null);
        }
    }

    private final Rollouts rollouts = new Rollouts();
    private IncidentLog log;

    private Acknowledgement handle(String severity, String model, String version) {
        log = new FileIncidentLog(dir.resolve("incidents.jsonl"));
        IncidentHandler h = new IncidentHandler(rollouts, log, "quiver_ml_engineer", clock);
        return Stages.join(h.handle(alert(severity, model, version)));
    }

    private static IssueAlert alert(String severity, String model, String version) {
        String details = version == null ? "" : ", \"details\": {\"version\": \"" + version + "\"}";
        return (IssueAlert) Messages.parse("""
                {"action": "model_issue_alert", "recipient": "quiver_ml_engineer", "sender": "monitor_id",
                 "message_id": "m-7", "correlation_id": "inc-3",
                 "issue": {"severity": "%s", "model_id": "%s", "issue": "Model accuracy dropped from 0.89 to 0.82",
                           "detected_at": "2024-03-15T10:30:00Z", "action": "Investigating data drift"%s}}
                """.formatted(severity, model, details));
    }

    @Test
    void aHighAlertOnTheVersionUnderRolloutRollsItBackAndSaysSo() {
        Acknowledgement ack = handle("high", "churn", "2");

        assertThat(rollouts.rolledBack).containsExactly(
                "churn by agent:monitor_id: Model accuracy dropped from 0.89 to 0.82");
        assertThat(ack.outcome().status()).isEqualTo(Acknowledgement.Status.DONE);
        assertThat(ack.outcome().summary()).isEqualTo("Rolled back churn version 2: traffic is back on version 1");
        assertThat(ack.inReplyTo()).isEqualTo("m-7");
        assertThat(ack.header().correlationId()).isEqualTo("inc-3");
        assertThat(ack.header().recipient()).isEqualTo("monitor_id");
        assertThat(ack.header().sender()).isEqualTo("quiver_ml_engineer");
        Messages.check(ack);
        assertThat(log.recent(10)).singleElement().satisfies(i -> {
            assertThat(i.model()).isEqualTo("churn");
            assertThat(i.version()).isEqualTo("2");
            assertThat(i.severity()).isEqualTo("high");
            assertThat(i.reporter()).isEqualTo("monitor_id");
            assertThat(i.correlationId()).isEqualTo("inc-3");
            assertThat(i.done()).isEqualTo(ack.outcome().summary());
        });
    }

    @Test
    void aCriticalAlertWithoutAVersionRollsBackWhateverIsRolledOut() {
        assertThat(handle("critical", "churn", null).outcome().summary()).startsWith("Rolled back churn version 2");
        assertThat(rollouts.rolledBack).hasSize(1);
    }

    @Test
    void belowHighSeverityTheIncidentIsOnlyRecorded() {
        assertThat(handle("medium", "churn", "2").outcome().summary()).isEqualTo(
                "Recorded; no action at severity medium");
        assertThat(handle("low", "churn", "2").outcome().summary()).contains("severity low");
        assertThat(rollouts.rolledBack).isEmpty();
        assertThat(log.recent(10)).hasSize(2);
    }

    @Test
    void anAlertAboutTheChampionOrAModelWithoutARolloutRollsNothingBack() {
        assertThat(handle("high", "churn", "1").outcome().summary()).contains("version 1 is not the one under rollout");
        assertThat(handle("high", "fraud", null).outcome().summary()).contains("fraud has no rollout running");
        rollouts.running = null;
        assertThat(handle("critical", "churn", "2").outcome().summary()).contains("churn has no rollout running");
        assertThat(rollouts.rolledBack).isEmpty();
        assertThat(log.recent(2)).extracting(Incident::model).containsExactly("fraud", "churn");
    }

    @Test
    void aRollbackThatCannotBeDoneFailsTheMessageAndRecordsNothingSoItCanBeTriedAgain() {
        rollouts.down = true;

        assertThatThrownBy(() -> handle("high", "churn", "2")).isInstanceOfSatisfying(QuiverException.class,
                e -> assertThat(e.kind()).isEqualTo(QuiverException.Kind.UNAVAILABLE));
        assertThat(log.recent(10)).isEmpty();
    }
}
