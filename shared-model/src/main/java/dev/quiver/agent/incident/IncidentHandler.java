package dev.quiver.agent.incident;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.agent.Acknowledgement;
import dev.quiver.agent.Header;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Severity;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What Quiver does with a {@code model_issue_alert} another agent sends: it records the incident, and when the
 * severity is {@code high} or {@code critical} and the model has a rollout running, it rolls that rollout back, so
 * the champion serves everyone again; the acknowledgement says what was done.
 *
 * <p>{@code issue.model_id} names the model. When {@code issue.details.version} names a version, only a rollout of
 * that version is rolled back: an alert about the champion is recorded and left to people, since rolling back would
 * not take traffic off it. A rollback that fails (the predict function unreachable) fails the stage and records
 * nothing, so the message can be tried again; a rollout that finished in the meantime is reported as such.
 */
public final class IncidentHandler {

    private final RolloutControl rollouts;
    private final IncidentLog log;
    private final String self;
    private final Clock clock;

    /** @param self this agent's id, the sender of its acknowledgements */
    public IncidentHandler(RolloutControl rollouts, IncidentLog log, String self, Clock clock) {
        this.rollouts = rollouts;
        this.log = log;
        this.self = self;
        this.clock = clock;
    }

    public CompletionStage<Acknowledgement> handle(IssueAlert alert) {
        IssueAlert.Issue issue = alert.issue();
        String model = issue.modelId();
        String version = version(issue);
        if (issue.severity().compareTo(Severity.HIGH) < 0) {
            return CompletableFuture.completedStage(done(alert, version,
                    "Recorded; no action at severity " + issue.severity().wireName()));
        }
        return rollouts.running(model).thenCompose(running -> act(alert, model, version, running));
    }

    private CompletionStage<Acknowledgement> act(IssueAlert alert, String model, String version,
                                                 Optional<RolloutControl.Running> running) {
        if (running.isEmpty()) {
            return CompletableFuture.completedStage(done(alert, version,
                    "Recorded; model " + model + " has no rollout running, so there is nothing to roll back"));
        }
        RolloutControl.Running r = running.get();
        if (version != null && !version.equals(r.challengerVersion())) {
            return CompletableFuture.completedStage(done(alert, version, "Recorded; version " + version
                    + " is not the one under rollout (version " + r.challengerVersion() + "), so nothing was rolled back"));
        }
        String by = "agent:" + (alert.header().sender() == null ? "unknown" : alert.header().sender());
        return rollouts.rollBack(model, by, alert.issue().issue()).thenApply(v -> done(alert, r.challengerVersion(),
                "Rolled back " + model + " version " + r.challengerVersion() + ": traffic is back on version "
                        + r.championVersion()));
    }

    private static String version(IssueAlert.Issue issue) {
        JsonNode v = issue.details() == null ? null : issue.details().get("version");
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Records the incident with what was done and acknowledges it to its reporter. */
    private Acknowledgement done(IssueAlert alert, String version, String summary) {
        Header h = alert.header();
        IssueAlert.Issue issue = alert.issue();
        log.record(new Incident(h.messageId(), h.exchange(), h.sender(),
                issue.severity().wireName(), issue.modelId(), version, issue.issue(),
                issue.detectedAt(), clock.instant(), summary));
        return new Acknowledgement(Header.replyTo(alert, self, clock.instant()), h.messageId(), new Acknowledgement.Outcome(Acknowledgement.Status.DONE, summary, null));
    }
}
