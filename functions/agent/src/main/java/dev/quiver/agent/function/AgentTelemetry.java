package dev.quiver.agent.function;

import dev.quiver.agent.inbox.Inbox;
import dev.quiver.agent.inbox.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts every message per action, door and outcome (received, acted, refused, retried, dead_lettered, duplicate,
 * relayed) as {@code quiver_agent_messages_total}.
 */
@ApplicationScoped
public class AgentTelemetry implements Inbox.Observer {

    private final MeterRegistry registry;
    /** The counters by action, door and outcome: a handful, looked up without building one per message. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public AgentTelemetry(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void count(String action, String door, Outcome outcome) {
        counters.computeIfAbsent(action + '\n' + door + '\n' + outcome.wireName(), k -> Counter.builder(
                        "quiver.agent.messages").description("The team's messages, per action, door and outcome")
                .tag("action", action).tag("door", door).tag("outcome", outcome.wireName()).register(registry))
                .increment();
    }
}
