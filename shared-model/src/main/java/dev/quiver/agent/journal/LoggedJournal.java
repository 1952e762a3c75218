package dev.quiver.agent.journal;

import dev.quiver.audit.JsonLinesFile;
import dev.quiver.audit.RecentLog;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link Journal} kept in a {@link RecentLog}: the embedded one a JSON-lines file whose last {@code keep} entries are
 * held in memory and read back at start ({@link #inFile}), or a log in Redis shared by instances. {@link #list}
 * filters the last {@code keep} entries.
 */
public final class LoggedJournal implements Journal, AutoCloseable {

    private final RecentLog<JournalEntry> log;
    private final int keep;

    public LoggedJournal(RecentLog<JournalEntry> log, int keep) {
        this.log = log;
        this.keep = keep;
    }

    /** The embedded journal: {@code file}, written by a thread of its own. */
    public static LoggedJournal inFile(Path file, int keep, Consumer<String> problems) {
        return new LoggedJournal(new JsonLinesFile<>(file, JournalEntry.class, keep, problems), keep);
    }

    @Override
    public void append(JournalEntry entry) {
        log.append(entry);
    }

    @Override
    public List<JournalEntry> list(Filter filter, int limit) {
        return log.recent(keep).stream().filter(filter::matches).limit(Math.max(limit, 0)).toList();
    }

    @Override
    public void close() {
        if (log instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the journal: " + e.getMessage(), e);
            }
        }
    }
}
