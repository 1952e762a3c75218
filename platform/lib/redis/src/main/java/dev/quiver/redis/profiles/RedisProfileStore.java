package dev.quiver.redis.profiles;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.quiver.drift.capture.LoggedPrediction;
import dev.quiver.drift.capture.Outcome;
import dev.quiver.drift.capture.Profile;
import dev.quiver.drift.capture.ProfileStore;
import dev.quiver.redis.client.GuardedRedis;
import dev.quiver.json.Json;
import io.opentelemetry.api.trace.Tracer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The drift profile store on Redis, for instances that share no disk (Lambda, Knative): every instance of the
 * predict function saves its window profiles here and the drift function merges them. Keys, under a prefix
 * ({@code quiver:drift} by default):
 * <pre>
 * &lt;prefix&gt;:&lt;model&gt;:&lt;version&gt;:windows                  sorted set: window starts (epoch seconds) that have profiles
 * &lt;prefix&gt;:&lt;model&gt;:&lt;version&gt;:&lt;start&gt;:profiles        hash: instance → its profile (CBOR), replaced on each save
 * &lt;prefix&gt;:&lt;model&gt;:&lt;version&gt;:&lt;start&gt;:predictions     list: logged predictions (JSON), appended by every instance
 * &lt;prefix&gt;:&lt;model&gt;:&lt;version&gt;:&lt;start&gt;:claims          hash: claimed one-time actions → their notes ({@code HSETNX})
 * &lt;prefix&gt;:&lt;model&gt;:outcomes                            hash: request id#row → true label; a later label wins
 * </pre>
 * A profile is CBOR (RFC 8949) with the field names of its JSON form: its sketches stay bytes, where JSON would
 * base64 them, which makes it a quarter smaller and twice as fast to read back. A save writes the profile and the
 * window's entry in one {@code MULTI}/{@code EXEC}, so a reader never sees a window
 * without its profile. With a retention, every key a write touches expires that long after the write, and windows
 * that started longer ago than the retention leave the sorted set: the prediction log (about 200 bytes a row) does
 * not grow without bound.
 *
 * <p>Every call goes through the same guard as the online store: bounded by a timeout, behind a circuit breaker,
 * failing with a {@code QuiverException} of kind UNAVAILABLE when Redis is slow or down. Calls block their caller
 * until then ({@link GuardedRedis#callAndWait}), as the port's contract has it. Capture counts such a
 * failure and retries at its next flush; a prediction never waits on this store.
 */
public final class RedisProfileStore implements ProfileStore, AutoCloseable {

    /** The most values one {@code RPUSH} or {@code HSET} carries; larger appends are split, in one pipeline. */
    static final int CHUNK = 1_000;

    private static final ObjectWriter WRITER = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    /** Json.MAPPER's conventions (snake_case, ISO instants, unknown fields refused), in CBOR. */
    private static final ObjectMapper CBOR = CBORMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final String prefix;
    private final long retentionMillis;
    private final Clock clock;
    private final GuardedRedis redis;

    /**
     * @param uri       {@code redis://[user:password@]host[:port][/db]} or {@code rediss://...}
     * @param prefix    the start of every key, so that several deployments can share one Redis
     * @param timeout   how long one call may take in all (a window's prediction log can be megabytes)
     * @param retention how long windows, logs and labels are kept after their last write; zero for ever
     * @param tracer    where round trips are traced
     * @throws IllegalArgumentException naming the option that is invalid
     */
    public RedisProfileStore(String uri, String prefix, Duration timeout, Duration retention, Tracer tracer,
                             Clock clock) {
        String redacted = GuardedRedis.checkOptions(uri, prefix, timeout);
        require(retention != null && !retention.isNegative(), "retention", "must be zero (keep) or positive");
        this.prefix = prefix;
        this.retentionMillis = retention.toMillis();
        this.clock = clock;
        this.redis = new GuardedRedis(uri, redacted, timeout, 5, Duration.ofSeconds(1), 2, tracer, null);
    }

    private String versionKey(String model, String version) {
        return prefix + ':' + model + ':' + version;
    }

    private String windowKey(String model, String version, Instant start, String what) {
        return versionKey(model, version) + ':' + start.getEpochSecond() + ':' + what;
    }

    @Override
    public void save(String instance, Profile.Saved profile) {
        String windows = versionKey(profile.model(), profile.version()) + ":windows";
        String profiles = windowKey(profile.model(), profile.version(), profile.windowStart(), "profiles");
        long start = profile.windowStart().getEpochSecond();
        List<Request> batch = new ArrayList<>();
        batch.add(Request.cmd(Command.MULTI));
        batch.add(Request.cmd(Command.HSET).arg(profiles).arg(instance).arg(cbor(profile)));
        batch.add(Request.cmd(Command.ZADD).arg(windows).arg(start).arg(start));
        if (retentionMillis > 0) {
            batch.add(Request.cmd(Command.PEXPIRE).arg(profiles).arg(retentionMillis));
            batch.add(Request.cmd(Command.PEXPIRE).arg(windows).arg(retentionMillis));
            long oldest = (clock.millis() - retentionMillis) / 1000;
            batch.add(Request.cmd(Command.ZREMRANGEBYSCORE).arg(windows).arg("-inf").arg("(" + oldest));
        }
        batch.add(Request.cmd(Command.EXEC));
        redis.callAndWait("HSET", 1, client -> client.batch(batch));
    }

    @Override
    public List<Profile.Saved> load(String model, String version, Instant windowStart) {
        Response all = redis.callAndWait("HGETALL", 1,
                client -> client.send(Request.cmd(Command.HGETALL).arg(windowKey(model, version, windowStart, "profiles"))));
        List<Map.Entry<String, Response>> entries = GuardedRedis.entries(all);
        entries.sort(Map.Entry.comparingByKey());
        List<Profile.Saved> out = new ArrayList<>(entries.size());
        for (Map.Entry<String, Response> e : entries) {
            try {
                out.add(CBOR.readValue(e.getValue().toBytes(), Profile.Saved.class));
            } catch (IOException bad) {
                throw new IllegalStateException("redis holds a profile of " + model + ":" + version + " from "
                        + e.getKey() + " that does not parse", bad);
            }
        }
        return out;
    }

    @Override
    public List<Instant> windows(String model, String version) {
        Response r = redis.callAndWait("ZRANGE", 1,
                client -> client.send(Request.cmd(Command.ZRANGE).arg(versionKey(model, version) + ":windows").arg(0).arg(-1)));
        List<Instant> out = new ArrayList<>();
        if (r != null) {
            for (Response start : r) {
                out.add(Instant.ofEpochSecond(Long.parseLong(start.toString())));
            }
        }
        return out;
    }

    @Override
    public void appendPredictions(String instance, String model, String version, Instant windowStart,
                                  List<LoggedPrediction> rows) {
        if (rows.isEmpty()) {
            return;
        }
        String key = windowKey(model, version, windowStart, "predictions");
        List<Request> batch = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += CHUNK) {
            Request push = Request.cmd(Command.RPUSH).arg(key);
            for (LoggedPrediction row : rows.subList(from, Math.min(rows.size(), from + CHUNK))) {
                push.arg(json(row));
            }
            batch.add(push);
        }
        expire(batch, key);
        redis.callAndWait("RPUSH", rows.size(), client -> client.batch(batch));
    }

    @Override
    public List<LoggedPrediction> predictions(String model, String version, Instant windowStart) {
        Response r = redis.callAndWait("LRANGE", 1, client -> client.send(Request.cmd(Command.LRANGE)
                .arg(windowKey(model, version, windowStart, "predictions")).arg(0).arg(-1)));
        List<LoggedPrediction> out = new ArrayList<>(r == null ? 0 : r.size());
        if (r != null) {
            for (Response line : r) {
                out.add(read(line.toString(), LoggedPrediction.class));
            }
        }
        return out;
    }

    @Override
    public void appendOutcomes(String instance, String model, List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        String key = prefix + ':' + model + ":outcomes";
        List<Request> batch = new ArrayList<>();
        for (int from = 0; from < outcomes.size(); from += CHUNK) {
            Request set = Request.cmd(Command.HSET).arg(key);
            for (Outcome o : outcomes.subList(from, Math.min(outcomes.size(), from + CHUNK))) {
                set.arg(o.key()).arg(o.label());
            }
            batch.add(set);
        }
        expire(batch, key);
        redis.callAndWait("HSET", outcomes.size(), client -> client.batch(batch));
    }

    @Override
    public Map<String, String> outcomes(String model) {
        Response all = redis.callAndWait("HGETALL", 1,
                client -> client.send(Request.cmd(Command.HGETALL).arg(prefix + ':' + model + ":outcomes")));
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, Response> e : GuardedRedis.entries(all)) {
            out.put(e.getKey(), e.getValue().toString());
        }
        return out;
    }

    @Override
    public boolean claim(String model, String version, Instant windowStart, String action, String note) {
        String key = windowKey(model, version, windowStart, "claims");
        List<Request> batch = new ArrayList<>();
        batch.add(Request.cmd(Command.HSETNX).arg(key).arg(action).arg(note));
        expire(batch, key);
        List<Response> replies = redis.callAndWait("HSETNX", 1, client -> client.batch(batch));
        return replies.get(0).toInteger() == 1;
    }

    @Override
    public Map<String, String> claims(String model, String version, Instant windowStart) {
        Response all = redis.callAndWait("HGETALL", 1, client -> client.send(Request.cmd(Command.HGETALL)
                .arg(windowKey(model, version, windowStart, "claims"))));
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map.Entry<String, Response> e : GuardedRedis.entries(all)) {
            out.put(e.getKey(), e.getValue() == null ? "" : e.getValue().toString());
        }
        return out;
    }

    private void expire(List<Request> batch, String key) {
        if (retentionMillis > 0) {
            batch.add(Request.cmd(Command.PEXPIRE).arg(key).arg(retentionMillis));
        }
    }

    /** A hash's fields and values, whether the server answered in RESP3 (a map) or RESP2 (a flat array). */
    private static String json(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] cbor(Object value) {
        try {
            return CBOR.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException("redis holds a " + type.getSimpleName() + " that does not parse", e);
        }
    }

    private static void require(boolean condition, String option, String reason) {
        if (!condition) {
            throw new IllegalArgumentException(option + ": " + reason);
        }
    }

    @Override
    public void close() {
        redis.close();
    }
}
