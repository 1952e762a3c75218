package dev.quiver.features.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.FeatureDefinitions;
import dev.quiver.feature.FeatureView;
import dev.quiver.redis.feast.FeastRedisLayout;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The baseline of {@code functions/features/bench/vs-raw-redis.sh}: the Redis reads behind one
 * {@code POST /get-online-features} call, sent straight from a client with none of the function around them. It reads
 * the body the HTTP benchmark posts ({@code one-entity.json}, {@code hundred-entities.json}) and sends what the features
 * function sends for it: one {@code HMGET} per entity of the same key (Feast's layout, through {@link FeastRedisLayout}),
 * with the same fields (one per feature, then {@code _ts:<view>}), pipelined as one batch on one connection of the
 * Vert.x Redis client the function uses. No reply is decoded beyond the client's own RESP parsing.
 *
 * <p>Calls leave at a fixed rate, each at its slot of a schedule of one slot per 1/rate s, from the connection's event
 * loop, without waiting for earlier replies (Redis pipelines them on the connection). Two latencies are printed: from
 * the call's slot to its last reply, so that a stall of the client or of Redis counts for every call it delayed (wrk2's
 * correction for coordinated omission; it includes the hand-off from the pacing thread to the loop), and from the
 * moment the loop starts the call, which is what wrk measures for the HTTP call (from its write of the request). Before the timed part the client runs back to back
 * for the warm-up, and it first checks that Redis holds every field asked of every key, so that a wrong key or an
 * empty store cannot pass for a fast one.
 *
 * <p>Usage, from the repository root, on the features function's test classpath:
 * {@code RawRedisHmget REDIS_URI BODY RATE SECONDS WARMUP_SECONDS [DEFINITIONS [ENTITY_KEY_VERSION]]}, e.g.
 * {@code redis://127.0.0.1:6379 functions/features/bench/one-entity.json 1000 20 5}. DEFINITIONS defaults to
 * {@code config/features.yaml}, the version to 3 (the function's default). It prints, in milliseconds,
 * {@code requests N, p50 x ms, p90 ..., p99 ..., p99.9 ..., max ...} as {@code pace.lua} does for wrk.
 */
public final class RawRedisHmget {

    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final EventLoop loop;
    private final RedisConnection connection;
    /** The Redis keys of the body's entities, then the HMGET fields: encoded once, as a client would cache them. */
    private final List<byte[]> keys;
    private final List<byte[]> fields;

    private RawRedisHmget(EventLoop loop, RedisConnection connection, List<byte[]> keys, List<byte[]> fields) {
        this.loop = loop;
        this.connection = connection;
        this.keys = keys;
        this.fields = fields;
    }

    /** One call: an HMGET per entity, pipelined as one batch on the connection. */
    private Future<List<Response>> send() {
        List<Request> batch = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            Request hmget = Request.cmd(Command.HMGET).arg(key);
            for (byte[] field : fields) {
                hmget.arg(field);
            }
            batch.add(hmget);
        }
        return connection.batch(batch);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: RawRedisHmget REDIS_URI BODY RATE SECONDS WARMUP_SECONDS [DEFINITIONS "
                    + "[ENTITY_KEY_VERSION]]");
            System.exit(2);
        }
        String uri = args[0];
        JsonNode body = new ObjectMapper().readTree(Path.of(args[1]).toFile());
        double rate = Double.parseDouble(args[2]);
        long seconds = Long.parseLong(args[3]);
        long warmUp = Long.parseLong(args[4]);
        FeatureDefinitions definitions = FeatureDefinitions.read(Path.of(args.length > 5 ? args[5] : "config/features.yaml"));
        int version = args.length > 6 ? Integer.parseInt(args[6]) : 3;
        List<byte[]> fields = new ArrayList<>();
        List<byte[]> keys = keysAndFields(body, definitions, new FeastRedisLayout(definitions.project(), version),
                fields);

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)
                // the transport the function is told to prefer in the same JVM options
                .setPreferNativeTransport(Boolean.getBoolean("quarkus.vertx.prefer-native-transport")));
        try {
            ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
            CompletableFuture<RedisConnection> opened = new CompletableFuture<>();
            // opened from the loop's context, so that the socket and its replies live on the loop that sends
            context.runOnContext(v -> Redis.createClient(vertx, new RedisOptions().setConnectionString(uri)
                            .setNetClientOptions(new NetClientOptions().setTcpNoDelay(true)))
                    .connect()
                    .onComplete(ar -> {
                        if (ar.succeeded()) {
                            opened.complete(ar.result());
                        } else {
                            opened.completeExceptionally(ar.cause());
                        }
                    }));
            RawRedisHmget client = new RawRedisHmget(context.nettyEventLoop(), opened.get(10, TimeUnit.SECONDS), keys,
                    fields);
            client.checkEveryFieldIsStored(context);
            client.backToBack(context, TimeUnit.SECONDS.toNanos(warmUp));
            Histogram fromSlot = new Histogram(HIGHEST_NANOS, 3);
            Histogram fromSend = new Histogram(HIGHEST_NANOS, 3);
            long errors = client.paced(rate, TimeUnit.SECONDS.toNanos(seconds), fromSlot, fromSend);
            System.out.println(line(fromSlot));
            System.out.println("from the send: " + line(fromSend));
            if (errors > 0) {
                System.err.println(errors + " calls failed");
                System.exit(1);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The Redis keys of the body's entities; adds to {@code fields} the HMGET fields the function asks for the same
     * call.
     */
    static List<byte[]> keysAndFields(JsonNode body, FeatureDefinitions definitions, FeastRedisLayout layout,
                                      List<byte[]> fields) {
        FeatureView view = null;
        for (JsonNode ref : body.path("features")) {
            String[] parts = ref.asText().split(":", 2);
            if (view != null && !view.name().equals(parts[0])) {
                throw new IllegalArgumentException("the baseline reads one view; the body names " + view.name()
                        + " and " + parts[0]);
            }
            view = definitions.view(parts[0], "features");
            fields.add(FeastRedisLayout.featureField(parts[0], parts[1]));
        }
        if (view == null) {
            throw new IllegalArgumentException("the body names no features");
        }
        fields.add(FeastRedisLayout.timestampField(view.name()));
        var entities = body.path("entities").properties();
        if (entities.size() != 1) {
            throw new IllegalArgumentException("the baseline reads entities of one join key");
        }
        var only = entities.iterator().next();
        List<byte[]> keys = new ArrayList<>();
        for (JsonNode id : only.getValue()) {
            keys.add(layout.redisKey(view, EntityKey.of(only.getKey(), id.asLong()), "entities"));
        }
        return keys;
    }

    private void checkEveryFieldIsStored(ContextInternal context) throws Exception {
        List<Response> replies = onLoop(context, this::send).get(10, TimeUnit.SECONDS);
        for (int k = 0; k < replies.size(); k++) {
            Response reply = replies.get(k);
            for (int f = 0; f < reply.size(); f++) {
                if (reply.get(f) == null) {
                    throw new IllegalStateException("redis holds no field " + f + " of key " + k + " of the body: "
                            + "materialize the demo first, with the same definitions and entity key version");
                }
            }
        }
    }

    /** Calls back to back, one in flight, for {@code nanos}: the JIT's warm-up. */
    private void backToBack(ContextInternal context, long nanos) throws Exception {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            onLoop(context, this::send).get(10, TimeUnit.SECONDS);
        }
    }

    private static <T> CompletableFuture<T> onLoop(ContextInternal context, Supplier<Future<T>> call) {
        CompletableFuture<T> done = new CompletableFuture<>();
        context.runOnContext(v -> call.get().onComplete(ar -> {
            if (ar.succeeded()) {
                done.complete(ar.result());
            } else {
                done.completeExceptionally(ar.cause());
            }
        }));
        return done;
    }

    /**
     * Sends a call at each slot of the schedule for {@code nanos} and waits for the last reply; returns how many calls
     * failed. A thread of its own waits for each slot and hands the call to the event loop, which sends it at once:
     * the loop's own timers are no use here, as Netty's NIO loop rounds a timer's wait up to whole milliseconds (they
     * fired 0.5 ms late at the median).
     */
    private long paced(double rate, long nanos, Histogram fromSlot, Histogram fromSend) throws Exception {
        long interval = Math.round(1e9 / rate);
        long calls = nanos / interval;
        AtomicLong errors = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        for (long i = 0; i < calls; i++) {
            long slot = start + i * interval;
            for (long wait = slot - System.nanoTime(); wait > 0; wait = slot - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            loop.execute(() -> {
                long sent = System.nanoTime();
                send().onComplete(ar -> {
                    long now = System.nanoTime();
                    if (ar.succeeded()) {
                        fromSlot.recordValue(now - slot);
                        fromSend.recordValue(now - sent);
                    } else {
                        errors.incrementAndGet();
                    }
                    if (answered.incrementAndGet() == calls) {
                        finished.complete(null);
                    }
                });
            });
        }
        finished.get(30, TimeUnit.SECONDS);
        return errors.get();
    }

    /** The figures as {@code functions/predict/bench/pace.lua} prints wrk's. */
    private static String line(Histogram h) {
        StringBuilder line = new StringBuilder("requests " + h.getTotalCount());
        for (double p : new double[] {50, 90, 95, 98, 99, 99.5, 99.9}) {
            line.append(String.format(", p%s %.2f ms", p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p),
                    h.getValueAtPercentile(p) / 1e6));
        }
        return line.append(String.format(", max %.1f ms", h.getMaxValue() / 1e6)).toString();
    }
}
