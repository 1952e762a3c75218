package dev.quiver.redis.agent;

import dev.quiver.agent.memory.Memories;
import dev.quiver.agent.memory.MemoryContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent's memories in a real redis-server: the memory contract, each opening another client. */
class RedisMemoriesIT extends MemoryContract {

    @RegisterExtension
    static final AgentStates STATES = new AgentStates();

    @Override
    protected Memories memories() {
        return STATES.open().memories();
    }

    @Test
    void aTrimmedMemoryKeepsNoOrphanInItsHash() {
        var m = memories().open("trimmed", Note.class, 1);
        m.put("a", new Note("a", List.of(), null));
        m.put("b", new Note("b", List.of(), null));

        assertThat(STATES.server().client().call("HLEN", STATES.prefix() + ":memory:trimmed")).isEqualTo(1L);
        assertThat(STATES.server().client().call("ZCARD", STATES.prefix() + ":memory:trimmed:order")).isEqualTo(1L);
    }
}
