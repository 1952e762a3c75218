package dev.quiver.redis.agent;

import dev.quiver.agent.incident.Incident;
import dev.quiver.agent.incident.IncidentLog;
import dev.quiver.agent.inbox.DeadLetter;
import dev.quiver.agent.journal.JournalEntry;
import dev.quiver.agent.journal.LoggedJournal;
import dev.quiver.agent.memory.Memories;
import dev.quiver.agent.outbox.OutboxStore;
import dev.quiver.audit.RecentLog;
import dev.quiver.redis.client.GuardedRedis;
import io.opentelemetry.api.trace.Tracer;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The agent's state in Redis, shared by its instances over one client: the outbox ({@code <prefix>:outbox...}), the
 * audit journal ({@code <prefix>:journal}), the incidents ({@code <prefix>:incidents}) and the dead letters of
 * messages received ({@code <prefix>:dead-letters}), each log a list holding its most recent records.
 */
public final class RedisAgentState implements AutoCloseable {

    /** How many dead letters of the outbox are kept. */
    static final int KEEP_DEAD = 10_000;
    /** How many incidents are kept. */
    static final int KEEP_INCIDENTS = 10_000;

    private final GuardedRedis redis;
    private final String prefix;
    private final Duration lease;
    private final Consumer<String> problems;

    /**
     * @param uri      {@code redis://[user:password@]host[:port][/db]} or {@code rediss://...}
     * @param prefix   the start of every key, so that several deployments can share one Redis
     * @param timeout  how long one call may take
     * @param lease    how long a message taken for delivery is kept from other instances: longer than a delivery
     *                 may take
     * @param problems where a record that could not be appended is reported (the function's log)
     * @throws IllegalArgumentException naming the option that is invalid
     */
    public RedisAgentState(String uri, String prefix, Duration timeout, Duration lease, Tracer tracer,
                           Consumer<String> problems) {
        String redacted = GuardedRedis.checkOptions(uri, prefix, timeout);
        if (lease == null || lease.toMillis() < 1) {
            throw new IllegalArgumentException("lease: must be at least 1 ms, not " + lease);
        }
        this.prefix = prefix;
        this.lease = lease;
        this.problems = problems;
        this.redis = new GuardedRedis(uri, redacted, timeout, 5, Duration.ofSeconds(1), 2, tracer, null);
    }

    /** What the agent remembers between the messages of a conversation. */
    public Memories memories() {
        return new RedisMemories(redis, prefix);
    }

    public OutboxStore outbox() {
        return new RedisOutboxStore(redis, prefix, lease, KEEP_DEAD);
    }

    /** The audit journal, listing the last {@code keep} entries. */
    public LoggedJournal journal(int keep) {
        return new LoggedJournal(log("journal", JournalEntry.class, keep), keep);
    }

    public IncidentLog incidents() {
        return IncidentLog.over(log("incidents", Incident.class, KEEP_INCIDENTS));
    }

    /** The dead letters of messages received, the last {@code keep} kept. */
    public RecentLog<DeadLetter> deadLetters(int keep) {
        return log("dead-letters", DeadLetter.class, keep);
    }

    private <T> RecentLog<T> log(String name, Class<T> type, int keep) {
        return new RedisRecentLog<>(redis, prefix + ':' + name, type, keep, problems);
    }

    @Override
    public void close() {
        redis.close();
    }
}
