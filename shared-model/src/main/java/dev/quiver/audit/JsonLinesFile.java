package dev.quiver.audit;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
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
 * A log of records kept as one JSON object a line, appended to a file by a thread of its own so that a caller never
 * waits on the disk. The last {@code keep} records are also held in memory for {@link #recent}, and read back from
 * the file when the log is opened, so that they survive a restart. Safe from several threads; never throws on append
 * (a record that cannot be written is counted and reported).
 *
 * @param <T> the record type, written and read with Jackson
 */
public final class JsonLinesFile<T> implements RecentLog<T>, AutoCloseable {

    private final ObjectWriter writer;
    /** Records waiting for the writer; more than this are dropped and counted rather than held up. */
    private static final int QUEUE = 10_000;

    private final Path file;
    private final int keep;
    private final Deque<T> recent = new ArrayDeque<>();
    private final BlockingQueue<T> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final Consumer<String> problems;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param file     the file records are appended to (its directory is made)
     * @param type     the records' type
     * @param keep     how many recent records {@link #recent} can give
     * @param problems where a failed write or an unreadable line is reported (the function's log)
     */
    public JsonLinesFile(Path file, Class<T> type, int keep, Consumer<String> problems) {
        this.file = file;
        this.writer = Json.MAPPER.writerFor(type).without(SerializationFeature.INDENT_OUTPUT);
        this.keep = keep;
        this.problems = problems;
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the directory of " + file, e);
        }
        reload(type);
        this.thread = new Thread(this::write, "quiver-log-" + file.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Reads the last {@code keep} records back, the newest first. Lines that do not read (a record cut short by a
     * crash, a file another version wrote) are skipped and reported once, with how many there were.
     */
    private void reload(Class<T> type) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        ObjectReader reader = Json.MAPPER.readerFor(type);
        long[] skipped = {0};
        String[] first = {null};
        try (java.util.stream.Stream<String> lines = Files.lines(file, java.nio.charset.StandardCharsets.UTF_8)) {
            lines.forEach(line -> {
                if (line.isBlank()) {
                    return;
                }
                try {
                    recent.addFirst(reader.readValue(line));
                    if (recent.size() > keep) {
                        recent.removeLast();
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    if (skipped[0]++ == 0) {
                        first[0] = e.getOriginalMessage();
                    }
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            problems.accept("cannot read " + file + " back: " + e.getMessage());
        }
        if (skipped[0] > 0) {
            problems.accept("skipped " + skipped[0] + " lines of " + file + " that do not read as records (the first: "
                    + first[0] + ")");
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void append(T record) {
        synchronized (recent) {
            recent.addFirst(record);
            if (recent.size() > keep) {
                recent.removeLast();
            }
        }
        if (!queue.offer(record)) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                problems.accept(file + " falls behind: " + n + " records not written");
            }
        }
    }

    @Override
    public List<T> recent(int limit) {
        synchronized (recent) {
            return new ArrayList<>(recent).subList(0, Math.min(Math.max(limit, 0), recent.size()));
        }
    }

    /** Writes what is queued and stops the writer. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write() {
        List<T> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                T first = queue.poll(1, TimeUnit.SECONDS);
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
                for (T r : batch) {
                    lines.append(writer.writeValueAsString(r)).append('\n');
                }
                out.write(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                problems.accept("cannot append " + batch.size() + " records to " + file + ": "
                        + e.getMessage());
            }
            batch.clear();
        }
    }
}
