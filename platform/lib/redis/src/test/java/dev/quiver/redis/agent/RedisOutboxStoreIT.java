package dev.quiver.redis.agent;

import dev.quiver.agent.outbox.OutboxContract;
import dev.quiver.agent.outbox.OutboxStore;
import dev.quiver.agent.outbox.Outgoing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox over {@link RedisOutboxStore} against a real redis-server, and the lease that instances share by. */
class RedisOutboxStoreIT extends OutboxContract {

    @RegisterExtension
    static final AgentStates STATES = new AgentStates();

    /** Each call opens another client on the test's keys, as another instance would. */
    @Override
    protected OutboxStore store() {
        return STATES.open().outbox();
    }

    private static Outgoing message(String id, Instant due) {
        return new Outgoing(id, "pm", "body " + id, due, 0, due, null, null);
    }

    @Test
    void aMessageTakenByOneInstanceIsNotDueToAnotherUntilItsLeaseHasPassed() {
        OutboxStore a = store();
        OutboxStore b = store();
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        a.put(message("m1", now));
        a.put(message("m2", now.plusSeconds(5)));

        assertThat(a.due(now, 10)).extracting(Outgoing::id).containsExactly("m1");
        assertThat(b.due(now, 10)).as("leased by a").isEmpty();
        assertThat(b.due(now.plusSeconds(5), 10)).extracting(Outgoing::id).containsExactly("m2");
        assertThat(b.pending()).isEqualTo(2);

        // a died before it could remove or reschedule m1: once the lease has passed, b tries it
        assertThat(b.due(now.plusSeconds(30), 10)).extracting(Outgoing::id).containsExactly("m1");
    }

    @Test
    void dueMessagesComeEarliestFirstAndAtMostMax() {
        OutboxStore s = store();
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        s.put(message("late", now.minusSeconds(1)));
        s.put(message("early", now.minusSeconds(3)));
        s.put(message("middle", now.minusSeconds(2)));

        assertThat(s.due(now, 2)).extracting(Outgoing::id).containsExactly("early", "middle");
        assertThat(s.due(now, 2)).extracting(Outgoing::id).containsExactly("late");
    }

    @Test
    void theKeysStartWithThePrefix() {
        OutboxStore s = store();
        s.put(message("m", Instant.parse("2026-03-01T12:00:00Z")));

        assertThat(STATES.server().client().call("HEXISTS", STATES.prefix() + ":outbox", "m")).isEqualTo(1L);
        assertThat(new String((byte[]) STATES.server().client().call("ZSCORE", STATES.prefix() + ":outbox:due", "m"),
                java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(String.valueOf(Instant.parse("2026-03-01T12:00:00Z").toEpochMilli()));
    }
}
