package dev.quiver.audit;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The embedded audit log: one JSON object a line in a file ({@link JsonLinesFile}), so that a request never waits on
 * the disk; the last {@code keep} records are also held in memory for {@link #recent}, across restarts.
 */
public final class FileAuditLog implements AuditLog, AutoCloseable {

    private final JsonLinesFile<AuditRecord> lines;

    /**
     * @param file     the file records are appended to (its directory is made)
     * @param keep     how many recent records {@link #recent} can give
     * @param problems where a failed write is reported (the function's log)
     */
    public FileAuditLog(Path file, int keep, Consumer<String> problems) {
        this.lines = new JsonLinesFile<>(file, AuditRecord.class, keep, problems);
    }

    public Path file() {
        return lines.file();
    }

    @Override
    public void append(AuditRecord record) {
        lines.append(record);
    }

    @Override
    public List<AuditRecord> recent(int limit) {
        return lines.recent(limit);
    }

    /** Writes what is queued and stops the writer. */
    @Override
    public void close() {
        lines.close();
    }
}
