package dev.quiver.redis.feast;

import dev.quiver.error.QuiverException;
import dev.quiver.feature.Feature;
import dev.quiver.feature.FeatureRow;
import dev.quiver.feature.FeatureView;
import dev.quiver.feature.OnlineStore;
import dev.quiver.feature.StoredRow;
import dev.quiver.redis.client.GuardedRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link OnlineStore} on Redis, in the layout Feast's Python SDK uses ({@link FeastRedisLayout}): a Feast feature
 * server and Quiver can share one Redis, each reading what the other wrote.
 *
 * <p>{@link #read} sends one {@code HMGET key field... _ts:<view>} per view and entity, all pipelined on one
 * connection, without blocking. A row whose hash has neither the view's timestamp nor any asked feature is null; a
 * feature whose field is missing is absent from the row's values; a feature stored as an empty Value or
 * {@code null_val} is present with a null value. Values come back in the Java class of the protobuf member they
 * were stored in (see {@link FeastRedisLayout#decodeValue}); a row without a timestamp field has the epoch as its
 * event time, as Feast reads it. A value whose bytes cannot be decoded is {@link StoredRow#INVALID}, and so is every
 * stored value of a row whose timestamp cannot be decoded; the read answers everything else as usual, and the first
 * such field of each view and feature is logged at WARNING.
 *
 * <p>{@link #write} runs, per row, a Lua script that compares the stored {@code _ts:<view>} with the row's event time
 * and sets every field only when the row is newer (Feast skips equal times too), then refreshes the key's expiry
 * when {@link RedisOnlineStoreOptions#keyTtl()} is set. All rows of a call are pipelined. The script is called by its
 * SHA-1 ({@code EVALSHA}); a server that does not know it yet (first use, restart, {@code SCRIPT FLUSH}) gets the
 * script's text ({@code EVAL}) for the rows it refused, within the same call.
 *
 * <p>On an event loop of the application's Vert.x (given at construction), a read goes out on a connection that
 * lives on that loop, and the rows are decoded there when the replies arrive, so an HTTP read costs its event loop
 * no hand-off to another thread.
 *
 * <p>Both are safe to call from any thread ({@link #write} not on an event loop of the Vert.x the store runs on,
 * where it would wait on itself), and complete or fail within {@link RedisOnlineStoreOptions#timeout()} and a few
 * milliseconds: a slow or unreachable Redis, or an open circuit, fails the call (or the read's stage) with a
 * {@link QuiverException} of kind UNAVAILABLE, and {@link #retryAfter()} says when to come back. Bad keys or values
 * fail with BAD_INPUT naming the field before anything is sent.
 */
public final class RedisOnlineStore implements OnlineStore {

    private final RedisOnlineStoreOptions options;
    private final FeastRedisLayout layout;
    private final GuardedRedis redis;
    private final long keyTtlMillis;
    /** Field names by view, then by feature: murmur hashes, computed once per name. */
    private final Map<String, Map<String, byte[]>> fieldCache = new ConcurrentHashMap<>();
    /** The {@code view:feature} fields already logged as undecodable at WARNING. */
    private final java.util.Set<String> reportedUndecodable = ConcurrentHashMap.newKeySet();

    /**
     * The logger, made at the first value that cannot be decoded: a store that never meets one never touches the
     * platform's logging, which an application may not have set up yet when the store is made.
     */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(RedisOnlineStore.class.getName());
    }

    /**
     * Starts the store without waiting for Redis: it opens a first connection and loads the write script in the
     * background, so that the first call does not pay for them, and starts even while Redis is down (its calls then
     * fail UNAVAILABLE until Redis is up).
     */
    public RedisOnlineStore(RedisOnlineStoreOptions options) {
        this(options, null);
    }

    /**
     * Starts the store as {@link #RedisOnlineStore(RedisOnlineStoreOptions)} does, on the application's Vert.x: its
     * event loops then read through {@link #read} with no thread hand-off (see the class comment).
     *
     * @param vertx the application's Vert.x; null for a private instance with one event loop, closed with the store
     */
    public RedisOnlineStore(RedisOnlineStoreOptions options, Vertx vertx) {
        this.options = options;
        this.layout = new FeastRedisLayout(options.project(), options.entityKeySerializationVersion());
        this.keyTtlMillis = options.keyTtl().toMillis();
        this.redis = new GuardedRedis(options.uri(), options.redactedUri(), options.timeout(),
                options.failureThreshold(), options.openDuration(), options.poolSize(), options.tracer(), vertx);
        redis.warmUp(client -> client.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(WriteScript.LUA)));
    }

    @Override
    public String kind() {
        return "redis";
    }

    /** The options this store runs with. */
    public RedisOnlineStoreOptions options() {
        return options;
    }

    /** The byte layout this store reads and writes. */
    public FeastRedisLayout layout() {
        return layout;
    }

    /**
     * How long until Redis is tried again: positive while the circuit is open, zero otherwise. HTTP adapters send it
     * as {@code Retry-After} with a 503.
     */
    public Duration retryAfter() {
        return redis.retryAfter();
    }

    /**
     * Reads without blocking. On an event loop of the Vert.x the store was given, the pipeline goes out on a
     * connection of that loop and the rows are decoded and handed on there, when the replies arrive; from any other
     * thread the stage completes on one of the store's event loops.
     */
    @Override
    public CompletionStage<List<List<StoredRow>>> read(List<ViewRead> reads) {
        List<Request> requests;
        try {
            requests = requests(reads);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (requests.isEmpty()) {
            return CompletableFuture.completedFuture(rows(reads, List.of()));
        }
        return redis.call("HMGET", requests.size(), client -> client.batch(requests))
                .thenApply(responses -> rows(reads, responses));
    }

    /** One HMGET per view and entity, in order; BAD_INPUT naming the key when one cannot be encoded. */
    private List<Request> requests(List<ViewRead> reads) {
        List<Request> requests = new ArrayList<>();
        for (int r = 0; r < reads.size(); r++) {
            ViewRead read = reads.get(r);
            byte[][] fields = fields(read);
            for (int k = 0; k < read.keys().size(); k++) {
                Request hmget = Request.cmd(Command.HMGET)
                        .arg(layout.redisKey(read.view(), read.keys().get(k), "reads[" + r + "].keys[" + k + "]"));
                for (byte[] field : fields) {
                    hmget.arg(field);
                }
                requests.add(hmget);
            }
        }
        return requests;
    }

    /** The replies decoded into rows, one list per read. */
    private List<List<StoredRow>> rows(List<ViewRead> reads, List<Response> responses) {
        List<List<StoredRow>> result = new ArrayList<>(reads.size());
        int next = 0;
        for (ViewRead read : reads) {
            List<StoredRow> rows = new ArrayList<>(read.keys().size());
            for (int k = 0; k < read.keys().size(); k++) {
                rows.add(row(read, responses.get(next++)));
            }
            result.add(Collections.unmodifiableList(rows));
        }
        return Collections.unmodifiableList(result);
    }

    /** The HMGET fields of a read: one per asked feature, in order, then the view's timestamp. */
    private byte[][] fields(ViewRead read) {
        List<String> features = read.features();
        byte[][] fields = new byte[features.size() + 1][];
        for (int i = 0; i < features.size(); i++) {
            fields[i] = featureField(read.view(), features.get(i));
        }
        fields[features.size()] = FeastRedisLayout.timestampField(read.view().name());
        return fields;
    }

    private byte[] featureField(FeatureView view, String feature) {
        if (view.feature(feature) == null) {
            // Not cached: names that are not in the view come from callers, and the cache must stay bounded.
            return FeastRedisLayout.featureField(view.name(), feature);
        }
        return fieldCache.computeIfAbsent(view.name(), v -> new ConcurrentHashMap<>())
                .computeIfAbsent(feature, f -> FeastRedisLayout.featureField(view.name(), f));
    }

    private StoredRow row(ViewRead read, Response reply) {
        List<String> features = read.features();
        Response ts = reply.get(features.size());
        // sized for every asked feature: a map that grows rehashes once per row on the way to 19
        Map<String, Object> values = new LinkedHashMap<>(features.size() * 4 / 3 + 1);
        for (int i = 0; i < features.size(); i++) {
            Response stored = reply.get(i);
            if (stored != null) {
                byte[] bytes = stored.toBytes();
                Object value = FeastRedisLayout.decodeValue(bytes);
                if (value == StoredRow.INVALID) {
                    undecodable(read.view(), features.get(i), () -> FeastRedisLayout.whyUndecodable(bytes));
                }
                values.put(features.get(i), value);
            }
        }
        if (ts == null && values.isEmpty()) {
            return null;
        }
        Instant eventTime = Instant.EPOCH;
        if (ts != null) {
            byte[] bytes = ts.toBytes();
            try {
                eventTime = FeastRedisLayout.decodeTimestamp(bytes);
            } catch (IllegalArgumentException e) {
                // without its event time no value of the row can be judged fresh or stale: none is answered as data
                values.replaceAll((feature, value) -> StoredRow.INVALID);
                undecodable(read.view(), "_ts", e::getMessage);
            }
        }
        return new StoredRow(eventTime, Collections.unmodifiableMap(values));
    }

    /**
     * Logs that Redis holds a field of {@code view} that cannot be decoded: at WARNING the first time for each of the
     * view's fields, then at DEBUG, so that a bad value read on every request does not flood the log (its reads are
     * counted by status in the metrics).
     */
    private void undecodable(FeatureView view, String field, java.util.function.Supplier<String> why) {
        // only names the view defines are remembered: the set stays as small as the definitions
        boolean first = (field.equals("_ts") || view.feature(field) != null)
                && reportedUndecodable.add(view.name() + ":" + field);
        System.Logger.Level level = first ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG;
        System.Logger log = Log.LOG;
        if (log.isLoggable(level)) {
            String what = field.equals("_ts") ? "the event time of view " + view.name() : "a value of " + view.name()
                    + ":" + field;
            log.log(level, "redis holds " + what + " that cannot be decoded (" + why.get() + "): answered with status "
                    + "INVALID" + (first ? "; more of these are logged at DEBUG" : ""));
        }
    }

    @Override
    public int write(FeatureView view, List<FeatureRow> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        byte[] tsField = FeastRedisLayout.timestampField(view.name());
        List<Row> encoded = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            encoded.add(encode(view, rows.get(i), "rows[" + i + "]", tsField));
        }
        return redis.callAndWait("EVALSHA", rows.size(), client -> writeAll(client, encoded));
    }

    /** One row, ready to send: its key, event time and the field/value pairs, the timestamp first. */
    private record Row(byte[] key, byte[] tsField, Instant eventTime, byte[][] fieldsAndValues) {
    }

    private Row encode(FeatureView view, FeatureRow row, String path, byte[] tsField) {
        if (row.key() == null) {
            throw QuiverException.badInput(path + ".key", "is required");
        }
        if (row.eventTime() == null) {
            throw QuiverException.badInput(path + ".eventTime", "is required");
        }
        byte[] key = layout.redisKey(view, row.key(), path + ".key");
        Map<String, Object> values = row.values() == null ? Map.of() : row.values();
        byte[][] pairs = new byte[2 * (values.size() + 1)][];
        pairs[0] = tsField;
        pairs[1] = FeastRedisLayout.encodeTimestamp(row.eventTime());
        int i = 2;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String field = path + ".values." + e.getKey();
            Feature feature = view.feature(e.getKey());
            if (feature == null) {
                throw QuiverException.badInput(field, "is not a feature of view '" + view.name() + "'");
            }
            pairs[i++] = featureField(view, feature.name());
            pairs[i++] = FeastRedisLayout.encodeValue(feature.dtype(), feature.dtype().coerce(e.getValue(), field));
        }
        return new Row(key, tsField, row.eventTime(), pairs);
    }

    /**
     * Pipelines one EVALSHA per row on one connection and counts the rows written. Rows refused with NOSCRIPT are
     * sent again with the script's text; each row's reply is looked at on its own, so the count stays exact even when
     * another client loads the script halfway through the pipeline.
     */
    private Future<Integer> writeAll(Redis client, List<Row> rows) {
        return client.connect().compose(connection -> {
            List<Future<Response>> replies = new ArrayList<>(rows.size());
            for (Row row : rows) {
                replies.add(connection.send(WriteScript.evalSha(row.key(), row.tsField(), row.eventTime(),
                                keyTtlMillis, row.fieldsAndValues()))
                        .recover(e -> isNoScript(e) ? evalAgain(connection, row) : Future.failedFuture(e)));
            }
            return Future.all(replies)
                    .map(all -> {
                        int written = 0;
                        for (Future<Response> reply : replies) {
                            written += reply.result().toInteger();
                        }
                        return written;
                    })
                    .eventually(() -> connection.close());
        });
    }

    private Future<Response> evalAgain(RedisConnection connection, Row row) {
        return connection.send(WriteScript.eval(row.key(), row.tsField(), row.eventTime(), keyTtlMillis,
                row.fieldsAndValues()));
    }

    /** Whether a reply is Redis's "NOSCRIPT No matching script" error: the client fails with the reply's text. */
    private static boolean isNoScript(Throwable e) {
        return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
    }

    /** Closes the connections and the store's event loop; later calls fail UNAVAILABLE. */
    @Override
    public void close() {
        redis.close();
    }
}
