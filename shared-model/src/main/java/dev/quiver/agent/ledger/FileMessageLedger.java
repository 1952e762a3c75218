package dev.quiver.agent.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.error.Stages;
import dev.quiver.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A {@link MessageLedger} in a directory, the embedded default: an append-only log, {@code ledger.jsonl}, one JSON
 * object a line ({@code {"op":"claim","id":...,"at":<epoch ms>}}, {@code {"op":"answer","id":...,"answer":...}},
 * {@code {"op":"release","id":...}}), and an index in memory of the ids it holds, each with where its answer lies in
 * the log. A claim or an answer is written to the log (the operating system's, not yet the disk's) before the call
 * returns, so it survives the process; a line torn by a crash is skipped when the log is read again.
 *
 * <p>Ids are remembered for {@code retention} after their claim and at most {@code maxIds} of them, the oldest
 * forgotten first; a duplicate of a forgotten id acts again. The log is rewritten with what is remembered when it is
 * opened and whenever it holds more than twice as many lines as that, so it stays bounded too.
 *
 * <p>One process holds the directory (a lock on {@code ledger.lock}); a second is refused at open. Instances that
 * share a ledger use Redis.
 */
public final class FileMessageLedger implements MessageLedger, AutoCloseable {

    /** The default of {@code maxIds}: about 150 MB of index at most. */
    public static final int DEFAULT_MAX_IDS = 1_000_000;

    private static final String LOG = "ledger.jsonl";
    private static final long NO_ANSWER = -1;
    private static final ObjectWriter LINE = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final long retentionMillis;
    private final int maxIds;
    private final Clock clock;
    private final FileChannel lockFile;
    private final FileLock lock;

    /** Claim order, oldest first; guarded by {@code this}, as are the log and the counts below. */
    private final LinkedHashMap<String, Entry> ids = new LinkedHashMap<>();
    private FileChannel log;
    private long end;
    private long lines;
    /** Answers read by {@link #replay}, until {@link #rewrite} places them in the new log. */
    private Map<String, String> replayed = Map.of();

    /** An id held: when it was claimed, and where its answer's line lies in the log ({@link #NO_ANSWER} while none). */
    private record Entry(long claimedAt, long answerAt, int answerLength) {

        boolean answered() {
            return answerAt != NO_ANSWER;
        }
    }

    /** A ledger with the default bounds: ids kept 30 days, at most {@link #DEFAULT_MAX_IDS}. */
    public FileMessageLedger(Path dir) {
        this(dir, Duration.ofDays(30), DEFAULT_MAX_IDS, Clock.systemUTC());
    }

    /**
     * Opens, or makes, the ledger in {@code dir}.
     *
     * @throws IllegalArgumentException naming a bound that is not positive
     * @throws IllegalStateException    when another process holds the directory
     * @throws UncheckedIOException     when the directory cannot be read or written
     */
    public FileMessageLedger(Path dir, Duration retention, int maxIds, Clock clock) {
        if (retention == null || retention.toMillis() < 1) {
            throw new IllegalArgumentException("retention: must be at least 1 ms, not " + retention);
        }
        if (maxIds < 1) {
            throw new IllegalArgumentException("max-ids: must be at least 1, not " + maxIds);
        }
        this.dir = dir;
        this.retentionMillis = retention.toMillis();
        this.maxIds = maxIds;
        this.clock = clock;
        FileChannel held = null;
        try {
            Files.createDirectories(dir);
            held = FileChannel.open(dir.resolve("ledger.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = held.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                throw new IllegalStateException("the message ledger in " + dir + " is open in another process or"
                        + " ledger; instances that share one use the Redis ledger");
            }
            this.lockFile = held;
            this.lock = l;
            synchronized (this) {
                replay();
                rewrite();
            }
        } catch (IOException e) {
            closeQuietly(held);
            throw new UncheckedIOException("the message ledger in " + dir + " cannot be opened", e);
        } catch (RuntimeException e) {
            closeQuietly(held);
            throw e;
        }
    }

    @Override
    public CompletionStage<Claim> claim(String messageId) {
        return Stages.now(() -> io(() -> {
            MessageLedger.checkId(messageId);
            synchronized (this) {
                long now = clock.millis();
                forget(now);
                Entry held = ids.get(messageId);
                if (held != null && now - held.claimedAt() < retentionMillis) {
                    return held.answered() ? new Claim(false, answer(held)) : Claim.PENDING;
                }
                append(Json.MAPPER.createObjectNode().put("op", "claim").put("id", messageId).put("at", now));
                ids.remove(messageId);
                ids.put(messageId, new Entry(now, NO_ANSWER, 0));
                forget(now);
                return Claim.FIRST;
            }
        }));
    }

    @Override
    public CompletionStage<Void> record(String messageId, String answer) {
        return Stages.now(() -> io(() -> {
            MessageLedger.checkId(messageId);
            if (answer == null || answer.isEmpty()) {
                throw new IllegalArgumentException("an answer must not be empty");
            }
            synchronized (this) {
                Entry held = ids.get(messageId);
                if (held == null) {
                    throw new IllegalStateException("message '" + messageId + "' was not claimed");
                }
                byte[] line = line(Json.MAPPER.createObjectNode().put("op", "answer").put("id", messageId)
                        .put("answer", answer));
                long at = end;
                write(line);
                ids.put(messageId, new Entry(held.claimedAt(), at, line.length));
                return null;
            }
        }));
    }

    @Override
    public CompletionStage<Void> release(String messageId) {
        return Stages.now(() -> io(() -> {
            MessageLedger.checkId(messageId);
            synchronized (this) {
                Entry held = ids.get(messageId);
                if (held != null && !held.answered()) {
                    append(Json.MAPPER.createObjectNode().put("op", "release").put("id", messageId));
                    ids.remove(messageId);
                }
                return null;
            }
        }));
    }

    /** Closes the log and gives up the directory. */
    @Override
    public synchronized void close() {
        closeQuietly(log);
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it too
        }
        closeQuietly(lockFile);
    }

    /** Drops the ids past their retention or over the bound, oldest first. */
    private void forget(long now) {
        Iterator<Entry> oldest = ids.values().iterator();
        while (oldest.hasNext()) {
            Entry e = oldest.next();
            if (ids.size() <= maxIds && now - e.claimedAt() < retentionMillis) {
                break;
            }
            oldest.remove();
        }
    }

    private String answer(Entry e) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(e.answerLength());
        while (buf.hasRemaining()) {
            if (log.read(buf, e.answerAt() + buf.position()) < 0) {
                throw new IOException("the ledger's log ends before an answer it holds");
            }
        }
        return Json.MAPPER.readTree(buf.array()).path("answer").asText();
    }

    private void append(ObjectNode op) throws IOException {
        write(line(op));
        if (lines > 2L * ids.size() + 10_000) {
            rewrite();
        }
    }

    private static byte[] line(ObjectNode op) throws IOException {
        byte[] json = LINE.writeValueAsBytes(op);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    private void write(byte[] line) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
            end += log.write(buf, end);
        }
        lines++;
    }

    /** Reads the log into the index; a line that does not read (the last, torn by a crash) is skipped. */
    private void replay() throws IOException {
        Path file = dir.resolve(LOG);
        if (!Files.exists(file)) {
            return;
        }
        Map<String, String> answers = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                JsonNode op;
                try {
                    op = Json.MAPPER.readTree(text);
                } catch (IOException torn) {
                    continue;
                }
                String id = op == null ? null : op.path("id").asText(null);
                if (id == null) {
                    continue;
                }
                switch (op.path("op").asText()) {
                    case "claim" -> {
                        ids.remove(id);
                        answers.remove(id);
                        ids.put(id, new Entry(op.path("at").asLong(), NO_ANSWER, 0));
                    }
                    case "answer" -> {
                        if (ids.containsKey(id)) {
                            answers.put(id, op.path("answer").asText());
                        }
                    }
                    case "release" -> {
                        if (!answers.containsKey(id)) {
                            ids.remove(id);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        forget(clock.millis());
        replayed = answers;
    }

    /** Writes what the index holds to a new log and puts it in place of the old one. */
    private void rewrite() throws IOException {
        Path tmp = dir.resolve(LOG + ".tmp");
        long at = 0;
        long written = 0;
        Map<String, Entry> moved = new LinkedHashMap<>();
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Map.Entry<String, Entry> e : ids.entrySet()) {
                String id = e.getKey();
                Entry held = e.getValue();
                at += writeFully(out, line(Json.MAPPER.createObjectNode().put("op", "claim").put("id", id)
                        .put("at", held.claimedAt())));
                written++;
                String answer = held.answered() ? answer(held) : replayed.get(id);
                Entry now = held;
                if (answer != null) {
                    byte[] line = line(Json.MAPPER.createObjectNode().put("op", "answer").put("id", id)
                            .put("answer", answer));
                    now = new Entry(held.claimedAt(), at, line.length);
                    at += writeFully(out, line);
                    written++;
                }
                moved.put(id, now);
            }
            out.force(true);
        }
        closeQuietly(log);
        try {
            Files.move(tmp, dir.resolve(LOG), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(LOG), StandardCopyOption.REPLACE_EXISTING);
        }
        ids.clear();
        ids.putAll(moved);
        replayed = Map.of();
        log = FileChannel.open(dir.resolve(LOG), StandardOpenOption.READ, StandardOpenOption.WRITE);
        end = at;
        lines = written;
    }

    private static int writeFully(FileChannel out, byte[] line) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        return line.length;
    }

    /** Work on files, with an I/O failure unchecked so that it fails the stage. */
    private interface Io<T> {
        T run() throws IOException;
    }

    private static <T> T io(Io<T> work) {
        try {
            return work.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing what is already failing
            }
        }
    }
}
