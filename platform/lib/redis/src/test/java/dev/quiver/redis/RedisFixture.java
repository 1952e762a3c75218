package dev.quiver.redis;

import dev.quiver.testing.redis.RedisServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real redis-server for a test class ({@code @RegisterExtension static}), keys of their own for each test (so that
 * tests share the server without seeing each other), and what a test opens on it closed after the test.
 */
public class RedisFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final String keys;
    private RedisServer server;
    private String prefix;
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** @param keys the start of each test's prefix, {@code quiver:rollouts} */
    public RedisFixture(String keys) {
        this.keys = keys;
    }

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
        prefix = keys + ":" + UUID.randomUUID();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        opened.clear();
    }

    public RedisServer server() {
        return server;
    }

    /** This test's key prefix. */
    public String prefix() {
        return prefix;
    }

    /** {@code adapter}, closed after the test. */
    public <T extends AutoCloseable> T open(T adapter) {
        opened.add(adapter);
        return adapter;
    }
}
