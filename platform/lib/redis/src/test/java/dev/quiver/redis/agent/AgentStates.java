package dev.quiver.redis.agent;

import dev.quiver.testing.redis.RedisServer;
import io.opentelemetry.api.trace.TracerProvider;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real redis-server for a test class, keys of their own for each test, and the agent's state opened on them as
 * often as a test asks (each opening another client, as another instance would), closed after the test.
 */
final class AgentStates implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private RedisServer server;
    private String prefix;
    private final List<RedisAgentState> opened = new ArrayList<>();
    /** What the states opened reported as they appended (a log that could not append). */
    final List<String> problems = new CopyOnWriteArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        prefix = "quiver:test:" + UUID.randomUUID();
        problems.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        opened.forEach(RedisAgentState::close);
        opened.clear();
    }

    RedisServer server() {
        return server;
    }

    /** This test's key prefix. */
    String prefix() {
        return prefix;
    }

    /** The agent's state on this test's keys. */
    RedisAgentState open() {
        return open(server.uri());
    }

    /** The agent's state on this test's keys at {@code uri}, with a 500 ms call timeout. */
    RedisAgentState open(String uri) {
        RedisAgentState s = new RedisAgentState(uri, prefix, Duration.ofMillis(500), Duration.ofSeconds(30),
                TracerProvider.noop().get("test"), problems::add);
        opened.add(s);
        return s;
    }
}
