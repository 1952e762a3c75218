package dev.quiver.redis.agent;

import dev.quiver.agent.memory.Memories;
import dev.quiver.agent.memory.MemoryContract;
import dev.quiver.testing.redis.RedisServer;
import io.opentelemetry.api.trace.TracerProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent's memories in a real redis-server: the memory contract, each opening another client. */
class RedisMemoriesIT extends MemoryContract {

    private static RedisServer server;
    private final List<RedisAgentState> opened = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void start() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void freshKeys() {
        prefix = "quiver:test:" + UUID.randomUUID();
    }

    @AfterEach
    void close() {
        opened.forEach(RedisAgentState::close);
    }

    @Override
    protected Memories memories() {
        RedisAgentState state = new RedisAgentState(server.uri(), prefix, Duration.ofSeconds(2),
                Duration.ofSeconds(30), TracerProvider.noop().get("test"), problem -> { });
        opened.add(state);
        return state.memories();
    }

    @Test
    void aTrimmedMemoryKeepsNoOrphanInItsHash() {
        var m = memories().open("trimmed", Note.class, 1);
        m.put("a", new Note("a", List.of(), null));
        m.put("b", new Note("b", List.of(), null));

        assertThat(server.client().call("HLEN", prefix + ":memory:trimmed")).isEqualTo(1L);
        assertThat(server.client().call("ZCARD", prefix + ":memory:trimmed:order")).isEqualTo(1L);
    }
}
