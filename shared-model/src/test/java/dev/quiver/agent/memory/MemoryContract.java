package dev.quiver.agent.memory;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What every store of the agent's memories promises; each store's tests extend this with {@link #memories()}. */
public abstract class MemoryContract {

    /** The memories of this test's store: every call opens them on the same data, as a restart or another instance. */
    protected abstract Memories memories();

    public record Note(String text, List<String> tags, Instant at) {
    }

    private static Note note(String text) {
        return new Note(text, List.of("a", "b"), Instant.parse("2026-03-01T12:00:00Z"));
    }

    @Test
    void whatIsPutIsReadBackByAnotherOpeningUntilRemoved() {
        Memory<Note> first = memories().open("notes", Note.class, 10);
        first.put("n1", note("one"));
        first.put("n2", note("two"));

        Memory<Note> second = memories().open("notes", Note.class, 10);
        assertThat(second.get("n1")).contains(note("one"));
        assertThat(second.values()).containsExactly(note("one"), note("two"));

        second.remove("n1");
        second.remove("never-put");
        assertThat(memories().open("notes", Note.class, 10).get("n1")).isEmpty();
        assertThat(memories().open("notes", Note.class, 10).values()).containsExactly(note("two"));
    }

    @Test
    void theOldestPutIsForgottenBeyondKeepAndAPutAgainIsNewest() {
        Memory<Note> m = memories().open("bounded", Note.class, 2);
        m.put("a", note("a"));
        m.put("b", note("b"));
        m.put("a", note("a again"));
        m.put("c", note("c"));

        Memory<Note> again = memories().open("bounded", Note.class, 2);
        assertThat(again.get("b")).isEmpty();
        assertThat(again.values()).containsExactly(note("a again"), note("c"));
    }

    @Test
    void namesAreApart() {
        memories().open("one", Note.class, 10).put("x", note("in one"));
        assertThat(memories().open("two", Note.class, 10).get("x")).isEmpty();
    }
}
