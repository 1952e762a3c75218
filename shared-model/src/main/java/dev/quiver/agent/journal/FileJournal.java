package dev.quiver.agent.journal;

import dev.quiver.audit.JsonLinesFile;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The embedded {@link Journal}: a JSON line per entry in one file, written by a thread of its own; the last
 * {@code keep} entries are held in memory, read back from the file at start, and are what {@link #list} filters.
 */
public final class FileJournal implements Journal, AutoCloseable {

    private final JsonLinesFile<JournalEntry> lines;
    private final int keep;

    public FileJournal(Path file, int keep, Consumer<String> problems) {
        this.lines = new JsonLinesFile<>(file, JournalEntry.class, keep, problems);
        this.keep = keep;
    }

    @Override
    public void append(JournalEntry entry) {
        lines.append(entry);
    }

    @Override
    public List<JournalEntry> list(Filter filter, int limit) {
        return lines.recent(keep).stream().filter(filter::matches).limit(Math.max(limit, 0)).toList();
    }

    @Override
    public void close() {
        lines.close();
    }
}
