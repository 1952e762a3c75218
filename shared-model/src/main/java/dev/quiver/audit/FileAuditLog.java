package dev.quiver.audit;

import com.fasterxml.jackson.databind.ObjectWriter;
import dev.quiver.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The embedded audit log: one JSON object a line, appended to a file by a thread of its own, so that a request never
 * waits on the disk. The last {@code keep} records are also held in memory for {@link #recent}.
 */
public final class FileAuditLog implements AuditLog, AutoCloseable {

    private static final ObjectWriter WRITER = Json.MAPPER.writerFor(AuditRecord.class);
    /** Records waiting for the writer; more than this are dropped and counted rather than held up. */
    private static final int QUEUE = 10_000;

    private final Path file;
    private final int keep;
    private final Deque<AuditRecord> recent = new ArrayDeque<>();
    private final BlockingQueue<AuditRecord> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final Consumer<String> problems;
    private final Thread writer;
    private volatile boolean closed;

    /**
     * @param file     the file records are appended to (its directory is made)
     * @param keep     how many recent records {@link #recent} can give
     * @param problems where a failed write is reported (the function's log)
     */
    public FileAuditLog(Path file, int keep, Consumer<String> problems) {
        this.file = file;
        this.keep = keep;
        this.problems = problems;
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the audit log's directory for " + file, e);
        }
        this.writer = new Thread(this::write, "quiver-audit");
        writer.setDaemon(true);
        writer.start();
    }

    public Path file() {
        return file;
    }

    @Override
    public void append(AuditRecord record) {
        synchronized (recent) {
            recent.addFirst(record);
            if (recent.size() > keep) {
                recent.removeLast();
            }
        }
        if (!queue.offer(record)) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                problems.accept("the audit log " + file + " falls behind: " + n + " records not written");
            }
        }
    }

    @Override
    public List<AuditRecord> recent(int limit) {
        synchronized (recent) {
            return new ArrayList<>(recent).subList(0, Math.min(Math.max(limit, 0), recent.size()));
        }
    }

    /** Writes what is queued and stops the writer. */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write() {
        List<AuditRecord> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                AuditRecord first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                if (!closed) {
                    continue;
                }
            }
            queue.drainTo(batch);
            if (batch.isEmpty()) {
                continue;
            }
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                StringBuilder lines = new StringBuilder();
                for (AuditRecord r : batch) {
                    lines.append(WRITER.writeValueAsString(r)).append('\n');
                }
                out.write(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                problems.accept("cannot append " + batch.size() + " records to the audit log " + file + ": "
                        + e.getMessage());
            }
            batch.clear();
        }
    }
}
