package dev.quiver.redis.agent;

import dev.quiver.agent.incident.Incident;
import dev.quiver.agent.incident.IncidentLog;
import dev.quiver.agent.inbox.DeadLetter;
import dev.quiver.agent.journal.Journal;
import dev.quiver.agent.journal.JournalEntry;
import dev.quiver.agent.journal.LoggedJournal;
import dev.quiver.audit.RecentLog;
import io.opentelemetry.api.trace.TracerProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The agent's journal, incidents and dead letters in a real redis-server, shared by two instances. */
class RedisAgentStateIT {

    @RegisterExtension
    static final AgentStates STATES = new AgentStates();

    private static RedisAgentState open(String uri) {
        return STATES.open(uri);
    }

    private static JournalEntry entry(int i, String model) {
        return new JournalEntry(Instant.parse("2026-03-01T12:00:00Z").plusSeconds(i), "received",
                "model_issue_alert", "m" + i, "c" + i, model, "pm", "sqs", "an alert", null);
    }

    @Test
    void whatOneInstanceJournalsTheOtherListsNewestFirstFilteredAndBoundedByKeep() {
        LoggedJournal a = open(STATES.server().uri()).journal(3);
        LoggedJournal b = open(STATES.server().uri()).journal(3);
        for (int i = 1; i <= 4; i++) {
            a.append(entry(i, i % 2 == 0 ? "churn" : "fraud"));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> b.list(Journal.Filter.ALL, 10).size() == 3);
        assertThat(b.list(Journal.Filter.ALL, 10)).extracting(JournalEntry::messageId).containsExactly("m4", "m3", "m2");
        assertThat(b.list(new Journal.Filter("churn", null, null), 10)).extracting(JournalEntry::messageId)
                .containsExactly("m4", "m2");
        assertThat(STATES.server().client().call("LLEN", STATES.prefix() + ":journal")).isEqualTo(3L);
        assertThat(STATES.problems).isEmpty();
    }

    @Test
    void incidentsAreListedOldestFirstAndDeadLettersNewestFirst() {
        RedisAgentState s = open(STATES.server().uri());
        IncidentLog incidents = s.incidents();
        RecentLog<DeadLetter> dead = s.deadLetters(10);
        for (int i = 1; i <= 3; i++) {
            incidents.record(new Incident("m" + i, "c" + i, "monitor", "high", "churn", "1", "accuracy fell " + i,
                    Instant.parse("2026-03-01T12:00:00Z"), Instant.parse("2026-03-01T12:00:00Z").plusSeconds(i),
                    "rolled back"));
            dead.append(new DeadLetter(Instant.parse("2026-03-01T12:00:00Z").plusSeconds(i), "d" + i,
                    "model_issue_alert", "not an envelope", "{}"));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> dead.recent(10).size() == 3
                && incidents.recent(10).size() == 3);
        assertThat(incidents.recent(2)).extracting(Incident::messageId).containsExactly("m2", "m3");
        assertThat(open(STATES.server().uri()).deadLetters(10).recent(10)).extracting(DeadLetter::messageId)
                .containsExactly("d3", "d2", "d1");
    }

    @Test
    void anAppendToARedisThatIsDownIsReportedNotThrownAndAReadFailsAsUnavailable() {
        LoggedJournal j = open("redis://127.0.0.1:1").journal(10);

        j.append(entry(1, "churn"));

        await().atMost(Duration.ofSeconds(5)).until(() -> !STATES.problems.isEmpty());
        assertThat(STATES.problems.get(0)).startsWith("cannot append to " + STATES.prefix() + ":journal");
        assertThatThrownBy(() -> j.list(Journal.Filter.ALL, 10)).hasMessageContaining("127.0.0.1:1");
    }

    @Test
    void invalidOptionsAreNamed() {
        var tracer = TracerProvider.noop().get("t");
        assertThatThrownBy(() -> new RedisAgentState("http://x", "p", Duration.ofSeconds(1), Duration.ofSeconds(1),
                tracer, p -> { })).hasMessageStartingWith("uri:");
        assertThatThrownBy(() -> new RedisAgentState(STATES.server().uri(), "p", Duration.ofSeconds(1), Duration.ZERO,
                tracer, p -> { })).hasMessageStartingWith("lease:");
    }
}
