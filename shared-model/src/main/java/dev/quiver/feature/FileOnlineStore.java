package dev.quiver.feature;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.error.Stages;
import dev.quiver.json.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded online store: the newest row per view and entity in memory, backed by an append-only JSON-lines
 * file ({@code <dir>/online-store.jsonl}) that needs nothing installed.
 *
 * <p>Several processes may share the directory (the features function writes it, the predict function reads
 * it): appends take an exclusive file lock and first read what others appended, so the newest-wins check sees
 * every write; reads pick up lines appended since the last read (one {@code stat} per read). Lines name views
 * and features; values are typed by the definitions, and lines of views that are no longer declared are
 * skipped. It suits a laptop or a single node; production uses Redis.
 */
public final class FileOnlineStore implements OnlineStore {

    /** The log file's name inside the store's directory. */
    public static final String FILE = "online-store.jsonl";

    private static final ObjectMapper LINES = Json.MAPPER.copy().disable(SerializationFeature.INDENT_OUTPUT);

    private final Path log;
    private final FeatureDefinitions defs;
    private final Map<String, Map<EntityKey, StoredRow>> views = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile long consumed;
    private long ignored;
    /** The last event time parsed and its text: rows loaded together share it, and parsing is not cheap. */
    private String lastTimeText;
    private Instant lastTime;

    public FileOnlineStore(Path dir, FeatureDefinitions defs) {
        this(dir, defs, true);
    }

    /**
     * @param replayNow replay the log at once, on a thread of its own; false: the first read or write replays it,
     *                  so that a function that may never read the store does not spend a start's CPU on it
     */
    public FileOnlineStore(Path dir, FeatureDefinitions defs, boolean replayNow) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the online store directory " + dir, e);
        }
        this.log = dir.resolve(FILE);
        this.defs = defs;
        defs.views().forEach(v -> views.put(v.name(), new ConcurrentHashMap<>()));
        if (!replayNow) {
            return;
        }
        // Replaying a long log is a large part of a cold start, so it runs on its own thread while the function
        // starts; a read or write arriving first waits on the lock until the replay is done (or does it itself, if it
        // gets the lock first), so none sees a partial store.
        Thread replay = new Thread(() -> {
            synchronized (lock) {
                try {
                    catchUp();
                } catch (RuntimeException e) {
                    // the next read or write replays again and reports the failure to its caller
                }
            }
        }, "quiver-online-store-replay");
        replay.setDaemon(true);
        replay.start();
    }

    @Override
    public String kind() {
        return "embedded";
    }

    /** Whether nothing was ever written to this store: its log is missing or empty (answered without replaying it). */
    public boolean neverWritten() {
        return log.toFile().length() == 0;
    }

    /** How many rows the store holds for {@code view}. */
    public int size(String view) {
        catchUpIfGrown();
        Map<EntityKey, StoredRow> rows = views.get(view);
        return rows == null ? 0 : rows.size();
    }

    /** Lines of the log that were skipped: views or features no longer declared, or values that no longer fit. */
    public long ignoredLines() {
        synchronized (lock) {
            return ignored;
        }
    }

    /**
     * Reads on the calling thread and returns a stage that is already complete: a few map lookups, and the lines
     * other processes appended since the last read.
     */
    @Override
    public CompletionStage<List<List<StoredRow>>> read(List<ViewRead> reads) {
        return Stages.now(() -> readNow(reads));
    }

    private List<List<StoredRow>> readNow(List<ViewRead> reads) {
        catchUpIfGrown();
        List<List<StoredRow>> out = new ArrayList<>(reads.size());
        for (ViewRead r : reads) {
            Map<EntityKey, StoredRow> rows = views.getOrDefault(r.view().name(), Map.of());
            List<StoredRow> found = new ArrayList<>(r.keys().size());
            for (EntityKey k : r.keys()) {
                StoredRow row = rows.get(k);
                if (row == null) {
                    found.add(null);
                } else {
                    Map<String, Object> values = new HashMap<>();
                    for (String f : r.features()) {
                        if (row.values().containsKey(f)) {
                            values.put(f, row.values().get(f));
                        }
                    }
                    found.add(new StoredRow(row.eventTime(), values));
                }
            }
            out.add(found);
        }
        return out;
    }

    @Override
    public int write(FeatureView view, List<FeatureRow> rows) {
        synchronized (lock) {
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
                 FileLock ignoredLock = ch.lock()) {
                catchUp();
                Map<EntityKey, StoredRow> current = views.computeIfAbsent(view.name(), v -> new ConcurrentHashMap<>());
                Map<EntityKey, FeatureRow> newest = new HashMap<>();
                for (FeatureRow row : rows) {
                    StoredRow stored = current.get(row.key());
                    FeatureRow pending = newest.get(row.key());
                    Instant bar = pending != null ? pending.eventTime() : stored != null ? stored.eventTime() : null;
                    if (bar == null || row.eventTime().isAfter(bar)) {
                        newest.put(row.key(), row);
                    }
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(newest.size() * 256);
                try (JsonGenerator g = LINES.createGenerator(bytes)) {
                    g.setRootValueSeparator(null);
                    for (FeatureRow row : newest.values()) {
                        line(g, view, row);
                    }
                }
                boolean caughtUp = ch.size() == consumed;
                ByteBuffer buf = ByteBuffer.wrap(bytes.toByteArray());
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (caughtUp) {
                    // the log held nothing unread, and the file lock kept other writers out: what was appended is
                    // exactly these rows, applied as they are rather than read back and parsed again
                    for (FeatureRow row : newest.values()) {
                        current.merge(row.key(), new StoredRow(row.eventTime(), row.values()),
                                (old, now) -> now.eventTime().isAfter(old.eventTime()) ? now : old);
                    }
                    consumed += buf.limit();
                } else {
                    catchUp();
                }
                return newest.size();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to the online store " + log, e);
            }
        }
    }

    @Override
    public void close() {
        // nothing is held open between calls
    }

    private void catchUpIfGrown() {
        if (log.toFile().length() > consumed) {
            synchronized (lock) {
                catchUp();
            }
        }
    }

    /** Applies lines appended since the last call; the caller holds {@link #lock}. */
    private void catchUp() {
        if (!Files.exists(log)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size <= consumed) {
                return;
            }
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, size - consumed));
            ch.position(consumed);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read until the buffer is full or the file ends
            }
            byte[] b = buf.array();
            int end = buf.position();
            int start = 0;
            for (int i = 0; i < end; i++) {
                if (b[i] == '\n') {
                    apply(new String(b, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            // a line without its newline is still being written by another process: read it next time
            consumed += start;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the online store " + log, e);
        }
    }

    private void apply(String line) {
        if (line.isBlank()) {
            return;
        }
        try {
            JsonNode n = LINES.readTree(line);
            FeatureView view = defs.views().stream().filter(v -> v.name().equals(n.path("view").asText())).findFirst()
                    .orElse(null);
            if (view == null) {
                ignored++;
                return;
            }
            Map<String, Object> key = new HashMap<>();
            for (Entity e : view.entities()) {
                key.put(e.joinKey(), e.valueType().coerce(plain(n.path("key").get(e.joinKey())), e.joinKey()));
            }
            String ts = n.path("ts").asText();
            if (!ts.equals(lastTimeText)) {
                lastTime = Instant.parse(ts);
                lastTimeText = ts;
            }
            Instant time = lastTime;
            Map<String, Object> values = new HashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = n.path("values").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                Feature feature = view.feature(f.getKey());
                if (feature != null) {
                    values.put(f.getKey(), feature.dtype().coerce(plain(f.getValue()), f.getKey()));
                }
            }
            views.computeIfAbsent(view.name(), v -> new ConcurrentHashMap<>()).merge(EntityKey.of(key),
                    new StoredRow(time, values), (old, now) -> now.eventTime().isAfter(old.eventTime()) ? now : old);
        } catch (IOException | RuntimeException e) {
            ignored++;
        }
    }

    /**
     * A JSON value as {@code treeToValue(node, Object.class)} gives it (Integer, Long or BigInteger, Double, String,
     * Boolean, null), without the data-binding round trip for scalars, which dominated the replay of a long log.
     */
    private static Object plain(JsonNode node) throws IOException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isInt()) {
            return node.intValue();
        }
        if (node.isLong()) {
            return node.longValue();
        }
        if (node.isFloatingPointNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return LINES.treeToValue(node, Object.class);
    }

    /** One line of the log, streamed: no tree of the row is built first (a bulk load writes thousands). */
    private static void line(JsonGenerator g, FeatureView view, FeatureRow row) throws IOException {
        g.writeStartObject();
        g.writeStringField("view", view.name());
        g.writeObjectFieldStart("key");
        for (int i = 0; i < row.key().size(); i++) {
            g.writeFieldName(row.key().joinKey(i));
            g.writeObject(row.key().value(i));
        }
        g.writeEndObject();
        g.writeStringField("ts", row.eventTime().toString());
        g.writeFieldName("values");
        g.writeObject(row.values());
        g.writeEndObject();
        g.writeRaw('\n');
    }
}
