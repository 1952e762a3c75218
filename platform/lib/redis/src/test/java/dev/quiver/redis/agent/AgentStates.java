package dev.quiver.redis.agent;

import dev.quiver.redis.RedisFixture;
import io.opentelemetry.api.trace.TracerProvider;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link RedisFixture} for the agent's state: opened on the test's keys as often as a test asks, each opening another
 * client, as another instance would.
 */
final class AgentStates extends RedisFixture {

    /** What the states opened reported as they appended (a log that could not append). */
    final List<String> problems = new CopyOnWriteArrayList<>();

    AgentStates() {
        super("quiver:test");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        super.beforeEach(context);
        problems.clear();
    }

    /** The agent's state on this test's keys. */
    RedisAgentState open() {
        return open(server().uri());
    }

    /** The agent's state on this test's keys at {@code uri}, with a 500 ms call timeout. */
    RedisAgentState open(String uri) {
        return open(new RedisAgentState(uri, prefix(), Duration.ofMillis(500), Duration.ofSeconds(30),
                TracerProvider.noop().get("test"), problems::add));
    }
}
