package dev.quiver.redis.feast;

import dev.quiver.testing.redis.RawRedis;
import dev.quiver.testing.redis.RedisServer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.FeatureRow;
import dev.quiver.feature.FeatureView;
import dev.quiver.feature.OnlineStore.ViewRead;
import dev.quiver.feature.StoredRow;
import dev.quiver.feature.ValueType;
import dev.quiver.redis.feast.WriteScript;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.quiver.redis.feast.Golden.hex;
import static dev.quiver.redis.feast.TestViews.allTypes;
import static dev.quiver.redis.feast.TestViews.allTypesRow;
import static dev.quiver.redis.feast.TestViews.driver;
import static dev.quiver.redis.feast.TestViews.driverProfile;
import static dev.quiver.redis.feast.TestViews.driverStats;
import static dev.quiver.redis.feast.TestViews.features;
import static dev.quiver.redis.feast.TestViews.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RedisOnlineStore} against a real redis-server: Feast's bytes both ways, newer-wins writes, expiry, pipelining,
 * tracing, and how it behaves when Redis is frozen, killed and back.
 */
class RedisOnlineStoreIT {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static RedisServer server;
    private static RawRedis raw;
    private RedisOnlineStore store;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        raw = server.client();
    }

    @AfterAll
    static void stopRedis() {
        raw.close();
        server.stop();
    }

    @BeforeEach
    void emptyRedis() {
        raw.call("FLUSHALL");
        raw.call("SCRIPT", "FLUSH");
        store = new RedisOnlineStore(options(server).build());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static RedisOnlineStoreOptions.Builder options(RedisServer server) {
        return options(server, "quiver_it");
    }

    private static RedisOnlineStoreOptions.Builder options(RedisServer server, String project) {
        // a generous timeout where speed is not the point: the build machine may be busy
        return RedisOnlineStoreOptions.builder(project).uri(server.uri()).timeout(Duration.ofSeconds(2));
    }

    // ---- round trips ----------------------------------------------------------------------------------------------

    @Test
    void everyValueTypeReadsBackAsWritten() {
        FeatureView view = allTypes();
        FeatureRow written = allTypesRow(1, T0.plusNanos(123_456_789));

        assertThat(store.write(view, List.of(written))).isEqualTo(1);

        StoredRow row = readOne(view, driver(1), features(view));
        assertThat(row.eventTime()).isEqualTo(T0.plusNanos(123_456_789));
        assertThat(row.values()).containsOnlyKeys(features(view));
        for (String feature : features(view)) {
            Object expected = written.values().get(feature);
            if (expected instanceof byte[] bytes) {
                assertThat((byte[]) row.values().get(feature)).isEqualTo(bytes);
            } else {
                assertThat(row.values().get(feature)).as(feature).isEqualTo(expected);
            }
        }
    }

    @Test
    void nullsAreStoredAsNullAndUnwrittenFeaturesAreAbsent() {
        FeatureView view = allTypes();
        Map<String, Object> values = new HashMap<>();
        values.put("string", null);
        values.put("int64", 5L);
        store.write(view, List.of(new FeatureRow(driver(1), T0, values)));

        StoredRow row = readOne(view, driver(1), List.of("string", "int64", "double"));
        assertThat(row.values()).containsOnlyKeys("string", "int64");
        assertThat(row.values().get("string")).isNull();
        assertThat(row.values().get("int64")).isEqualTo(5L);
    }

    @Test
    void anEntityNeverWrittenReadsAsNullAndOnlyAskedFeaturesComeBack() {
        store.write(driverStats(), List.of(row(1, T0, "conv_rate", 0.5f, "trips", 3L)));

        List<List<StoredRow>> rows = Stages.join(store.read(List.of(
                new ViewRead(driverStats(), List.of(driver(1), driver(2)), List.of("trips")))));

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).hasSize(2);
        assertThat(rows.get(0).get(0).values()).isEqualTo(Map.of("trips", 3L));
        assertThat(rows.get(0).get(1)).isNull();
    }

    @Test
    void viewsOfOneEntityShareOneHashAndReadInOneCall() {
        store.write(driverStats(), List.of(row(7, T0, "conv_rate", 0.25f, "trips", 9L)));
        store.write(driverProfile(), List.of(row(7, T0.plusSeconds(60), "city", "Lyon")));

        assertThat(raw.call("KEYS", "*")).asList().hasSize(1);
        List<List<StoredRow>> rows = Stages.join(store.read(List.of(
                new ViewRead(driverStats(), List.of(driver(7)), List.of("conv_rate", "trips")),
                new ViewRead(driverProfile(), List.of(driver(7)), List.of("city")))));
        assertThat(rows.get(0).get(0)).isEqualTo(new StoredRow(T0, Map.of("conv_rate", 0.25f, "trips", 9L)));
        assertThat(rows.get(1).get(0)).isEqualTo(new StoredRow(T0.plusSeconds(60), Map.of("city", "Lyon")));
    }

    // ---- newer wins -----------------------------------------------------------------------------------------------

    @Test
    void anOlderOrEqualWriteIsSkippedAndANewerOneOverwrites() {
        FeatureView view = driverStats();
        assertThat(store.write(view, List.of(row(1, T0, "trips", 1L)))).isEqualTo(1);

        assertThat(store.write(view, List.of(row(1, T0.minusNanos(1), "trips", 2L)))).isZero();
        assertThat(store.write(view, List.of(row(1, T0, "trips", 3L)))).isZero();
        assertThat(readOne(view, driver(1), List.of("trips")).values()).isEqualTo(Map.of("trips", 1L));

        assertThat(store.write(view, List.of(row(1, T0.plusNanos(1), "trips", 4L)))).isEqualTo(1);
        assertThat(readOne(view, driver(1), List.of("trips")))
                .isEqualTo(new StoredRow(T0.plusNanos(1), Map.of("trips", 4L)));
    }

    @Test
    void outOfOrderRowsInOneCallLeaveTheNewestAndCountOnlyWhatWasWritten() {
        FeatureView view = driverStats();
        int written = store.write(view, List.of(
                row(1, T0.plusSeconds(2), "trips", 2L),
                row(1, T0.plusSeconds(3), "trips", 3L),
                row(1, T0.plusSeconds(1), "trips", 1L),
                row(2, T0, "trips", 20L)));

        assertThat(written).isEqualTo(3);
        assertThat(readOne(view, driver(1), List.of("trips")))
                .isEqualTo(new StoredRow(T0.plusSeconds(3), Map.of("trips", 3L)));
    }

    @Test
    void eventTimesBefore1970CompareCorrectlyInTheScript() {
        // negative seconds are ten-byte varints, which the Lua script rebuilds from their complement
        FeatureView view = driverStats();
        Instant old = Instant.parse("1960-06-01T00:00:00Z");
        store.write(view, List.of(row(1, old, "trips", 1L)));

        assertThat(store.write(view, List.of(row(1, old.minusSeconds(1), "trips", 2L)))).isZero();
        assertThat(store.write(view, List.of(row(1, old.plusNanos(1), "trips", 3L)))).isEqualTo(1);
        assertThat(readOne(view, driver(1), List.of("trips")).eventTime()).isEqualTo(old.plusNanos(1));
    }

    @Test
    void concurrentWritersInAnyOrderLeaveTheNewestRow() throws Exception {
        FeatureView view = driverStats();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    int n = 0;
                    // each thread writes a different residue class of times, in descending order
                    for (int i = 49; i >= 0; i--) {
                        long seconds = i * 8L + thread;
                        n += store.write(view, List.of(row(1, T0.plusSeconds(seconds), "trips", seconds)));
                    }
                    return n;
                }));
            }
            int written = 0;
            for (Future<Integer> f : done) {
                written += f.get(30, TimeUnit.SECONDS);
            }
            assertThat(written).isBetween(1, 400);
        } finally {
            pool.shutdownNow();
        }
        assertThat(readOne(view, driver(1), List.of("trips")))
                .isEqualTo(new StoredRow(T0.plusSeconds(399), Map.of("trips", 399L)));
    }

    // ---- Feast compatibility ----------------------------------------------------------------------------------------

    @Test
    void whatQuiverWritesIsExactlyFeastsLayoutInRedis() {
        JsonNode hash = Golden.ROOT.get("hash");
        try (RedisOnlineStore feastProject = new RedisOnlineStore(
                options(server, hash.get("project").asText()).build())) {
            EntityKey key = Golden.key(hash.get("keys"));
            for (JsonNode v : hash.get("views")) {
                FeatureView view = Golden.hashView(v.get("view").asText());
                Map<String, Object> values = new LinkedHashMap<>();
                for (JsonNode f : v.get("features")) {
                    values.put(f.get("name").asText(),
                            Golden.value(ValueType.valueOf(f.get("type").asText()), f.get("value")));
                }
                Instant time = Instant.ofEpochSecond(v.get("seconds").longValue(), v.get("nanos").longValue());
                assertThat(feastProject.write(view, List.of(new FeatureRow(key, time, values)))).isEqualTo(1);
            }
        }

        List<Object> keys = asList(raw.call("KEYS", "*"));
        assertThat(keys).hasSize(1);
        assertThat(hex((byte[]) keys.get(0))).isEqualTo(hash.get("redisKeyHex").asText());
        Map<String, String> stored = hgetall((byte[]) keys.get(0));
        Map<String, String> expected = new HashMap<>();
        hash.get("fields").forEach(f -> expected.put(f.get("fieldHex").asText(), f.get("valueHex").asText()));
        assertThat(stored).isEqualTo(expected);
        assertThat(raw.call("TTL", keys.get(0))).isEqualTo(-1L);
    }

    @Test
    void aHashFeastMaterializedReadsBackExactly() {
        JsonNode hash = Golden.ROOT.get("hash");
        // HSET the bytes Feast's online_write_batch would have written, with a plain client
        List<Object> hset = new ArrayList<>(List.of("HSET", hex(hash.get("redisKeyHex").asText())));
        hash.get("fields").forEach(f -> {
            hset.add(hex(f.get("fieldHex").asText()));
            hset.add(hex(f.get("valueHex").asText()));
        });
        raw.call(hset.toArray());

        EntityKey key = Golden.key(hash.get("keys"));
        List<ViewRead> reads = new ArrayList<>();
        for (JsonNode v : hash.get("views")) {
            FeatureView view = Golden.hashView(v.get("view").asText());
            reads.add(new ViewRead(view, List.of(key), features(view)));
        }
        List<List<StoredRow>> rows;
        try (RedisOnlineStore feastProject = new RedisOnlineStore(
                options(server, hash.get("project").asText()).build())) {
            rows = Stages.join(feastProject.read(reads));
        }

        int i = 0;
        for (JsonNode v : hash.get("views")) {
            StoredRow row = rows.get(i++).get(0);
            assertThat(row.eventTime()).isEqualTo(Instant.ofEpochSecond(v.get("seconds").longValue(),
                    v.get("nanos").longValue()));
            for (JsonNode f : v.get("features")) {
                String name = f.get("name").asText();
                Object expected = Golden.value(ValueType.valueOf(f.get("type").asText()), f.get("value"));
                assertThat(row.values()).containsKey(name);
                if (expected instanceof byte[] bytes) {
                    assertThat((byte[]) row.values().get(name)).isEqualTo(bytes);
                } else {
                    assertThat(row.values().get(name)).as(name).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void version2KeysAreWrittenWhenConfigured() {
        try (RedisOnlineStore v2 = new RedisOnlineStore(options(server).entityKeySerializationVersion(2).build())) {
            v2.write(driverStats(), List.of(row(1001, T0, "trips", 1L)));
            assertThat(Stages.join(v2.read(List.of(new ViewRead(driverStats(), List.of(driver(1001)), List.of("trips")))))
                    .get(0).get(0).values()).isEqualTo(Map.of("trips", 1L));
        }
        List<Object> keys = asList(raw.call("KEYS", "*"));
        // research notes §1.4 A's v2 layout for driver_id: no count, no name length
        assertThat(hex((byte[]) keys.get(0))).isEqualTo("020000006472697665725f69640400000008000000e903000000000000"
                + hex("quiver_it".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void version1KeysAreWrittenWhenConfiguredAndAnInt64TheyCannotHoldIsBadInput() {
        try (RedisOnlineStore v1 = new RedisOnlineStore(options(server).entityKeySerializationVersion(1).build())) {
            v1.write(driverStats(), List.of(row(1001, T0, "trips", 1L)));
            assertThat(Stages.join(v1.read(List.of(new ViewRead(driverStats(), List.of(driver(1001)), List.of("trips")))))
                    .get(0).get(0).values()).isEqualTo(Map.of("trips", 1L));
            assertThatThrownBy(() -> Stages.join(v1.read(List.of(new ViewRead(driverStats(), List.of(driver(1L << 31)),
                    List.of("trips")))))).isInstanceOfSatisfying(QuiverException.class, e -> {
                        assertThat(e.kind()).isEqualTo(QuiverException.Kind.BAD_INPUT);
                        assertThat(e.field()).isEqualTo("reads[0].keys[0].driver_id");
                    });
        }
        List<Object> keys = asList(raw.call("KEYS", "*"));
        // version 2's layout with the INT64 in 4 bytes, as struct.pack("<l") writes it
        assertThat(hex((byte[]) keys.get(0))).isEqualTo("020000006472697665725f69640400000004000000e9030000"
                + hex("quiver_it".getBytes(StandardCharsets.UTF_8)));
    }

    // ---- values that cannot be decoded ------------------------------------------------------------------------------

    @Test
    void everyGoldenValueReadsBackFromRedisAndEachUndecodableOneIsInvalidAlone() {
        // one hash holding every golden Value, decodable or not, read in one HMGET, as a Feast-written hash would be
        FeatureView view = driverStats();
        byte[] key = store.layout().redisKey(view, driver(1), "key");
        List<Object> hset = new ArrayList<>(List.of("HSET", key, FeastRedisLayout.timestampField(view.name()),
                FeastRedisLayout.encodeTimestamp(T0)));
        Map<String, Object> expected = new LinkedHashMap<>();
        int n = 0;
        for (JsonNode c : Golden.ROOT.get("feastValues")) {
            String feature = "ok_" + n++;
            hset.add(FeastRedisLayout.featureField(view.name(), feature));
            hset.add(hex(c.get("hex").asText()));
            expected.put(feature, Golden.comparable(Golden.feastValue(c.get("expected"))));
        }
        for (JsonNode c : Golden.ROOT.get("undecodableValues")) {
            String feature = "bad_" + n++;
            hset.add(FeastRedisLayout.featureField(view.name(), feature));
            hset.add(hex(c.get("hex").asText()));
            expected.put(feature, StoredRow.INVALID);
        }
        raw.call(hset.toArray());

        StoredRow row = readOne(view, driver(1), new ArrayList<>(expected.keySet()));

        assertThat(row.eventTime()).isEqualTo(T0);
        assertThat(row.values()).hasSameSizeAs(expected);
        expected.forEach((feature, value) -> assertThat(Golden.comparable(row.values().get(feature)))
                .as(feature).isEqualTo(value));
    }

    @Test
    void aRowWhoseEventTimeCannotBeDecodedHasEveryStoredValueInvalid() {
        store.write(driverStats(), List.of(row(1, T0, "conv_rate", 0.5f), row(2, T0, "trips", 2L)));
        store.write(driverProfile(), List.of(row(1, T0, "city", "Lyon")));
        byte[] key = store.layout().redisKey(driverStats(), driver(1), "key");
        // seconds as a varint cut short
        raw.call("HSET", key, FeastRedisLayout.timestampField("driver_stats"), hex("08ff"));

        List<StoredRow> rows = Stages.join(store.read(List.of(new ViewRead(driverStats(), List.of(driver(1), driver(2)),
                List.of("conv_rate", "trips"))))).get(0);

        assertThat(rows.get(0).values()).as("trips was never written: still absent, so NOT_FOUND")
                .isEqualTo(Map.of("conv_rate", StoredRow.INVALID));
        assertThat(rows.get(1)).isEqualTo(new StoredRow(T0, Map.of("trips", 2L)));
        // the other view of the same hash has its own event time, and reads as written
        assertThat(readOne(driverProfile(), driver(1), List.of("city")))
                .isEqualTo(new StoredRow(T0, Map.of("city", "Lyon")));
    }

    // ---- expiry, pipelining, tracing, threads -----------------------------------------------------------------------

    @Test
    void theKeyTtlIsSetOnWritesThatChangedTheHash() {
        try (RedisOnlineStore expiring = new RedisOnlineStore(options(server).keyTtl(Duration.ofSeconds(90)).build())) {
            expiring.write(driverStats(), List.of(row(1, T0, "trips", 1L)));
            byte[] key = (byte[]) asList(raw.call("KEYS", "*")).get(0);
            assertThat((Long) raw.call("PTTL", key)).isBetween(80_000L, 90_000L);

            raw.call("PERSIST", key);
            expiring.write(driverStats(), List.of(row(1, T0.minusSeconds(1), "trips", 0L)));
            // a skipped write leaves the hash, and its expiry, alone
            assertThat(raw.call("TTL", key)).isEqualTo(-1L);
        }
    }

    @Test
    void hundredEntitiesAreReadInOnePipelinedRoundTrip() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
             RedisOnlineStore traced = new RedisOnlineStore(options(server).tracer(tracing.get("it")).build())) {
            List<FeatureRow> rows = new ArrayList<>();
            List<EntityKey> keys = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                rows.add(row(i, T0, "trips", (long) i));
                keys.add(driver(i));
            }
            traced.write(driverStats(), rows);
            spans.reset();

            long hmgets = commandCalls("hmget");
            long reads = stat("total_reads_processed");
            List<StoredRow> read = Stages.join(traced.read(List.of(new ViewRead(driverStats(), keys, List.of("trips"))))).get(0);
            long readEvents = stat("total_reads_processed") - reads - 1; // the INFO call itself is one

            for (int i = 0; i < 100; i++) {
                assertThat(read.get(i).values()).isEqualTo(Map.of("trips", (long) i));
            }
            assertThat(commandCalls("hmget") - hmgets).isEqualTo(100);
            // 100 commands sent one by one would be 100 socket reads for the server; pipelined they come in a few
            assertThat(readEvents).isLessThan(10);
            assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> {
                assertThat(span.getName()).isEqualTo("redis HMGET");
                assertThat(span.getAttributes().get(AttributeKey.longKey("quiver.entities"))).isEqualTo(100L);
            });
        }
    }

    @Test
    void eachRoundTripIsAClientSpanUnderTheCallersSpan() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
             RedisOnlineStore traced = new RedisOnlineStore(options(server).tracer(tracing.get("it")).build())) {
            Span parent = tracing.get("it").spanBuilder("request").startSpan();
            try (Scope ignored = parent.makeCurrent()) {
                traced.write(driverStats(), List.of(row(1, T0, "trips", 1L), row(2, T0, "trips", 2L)));
                Stages.join(traced.read(List.of(new ViewRead(driverStats(), List.of(driver(1)), List.of("trips")))));
            } finally {
                parent.end();
            }

            List<SpanData> finished = spans.getFinishedSpanItems();
            assertThat(finished).extracting(SpanData::getName)
                    .containsExactly("redis EVALSHA", "redis HMGET", "request");
            for (SpanData span : finished.subList(0, 2)) {
                assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
                assertThat(span.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
                assertThat(span.getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
                assertThat(span.getAttributes().get(AttributeKey.stringKey("db.system"))).isEqualTo("redis");
                assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("127.0.0.1");
            }
            assertThat(finished.get(0).getAttributes().get(AttributeKey.stringKey("db.operation"))).isEqualTo("EVALSHA");
            assertThat(finished.get(0).getAttributes().get(AttributeKey.longKey("quiver.entities"))).isEqualTo(2L);
            assertThat(finished.get(1).getAttributes().get(AttributeKey.longKey("quiver.entities"))).isEqualTo(1L);
        }
    }

    @Test
    void callsFromAnotherVertxEventLoopDoNotDeadlock() throws Exception {
        store.write(driverStats(), List.of(row(1, T0, "trips", 1L)));
        Vertx other = Vertx.vertx();
        try {
            CompletableFuture<StoredRow> result = new CompletableFuture<>();
            other.runOnContext(v -> {
                try {
                    result.complete(readOne(driverStats(), driver(1), List.of("trips")));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            assertThat(result.get(5, TimeUnit.SECONDS).values()).isEqualTo(Map.of("trips", 1L));
        } finally {
            other.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    // ---- reads that do not block, on the application's Vert.x ----------------------------------------------------

    @Test
    void anAsyncReadOnAnEventLoopOfTheApplicationsVertxCompletesOnThatLoop() throws Exception {
        Vertx app = Vertx.vertx();
        try (RedisOnlineStore shared = new RedisOnlineStore(options(server).build(), app)) {
            shared.write(driverStats(), List.of(row(1, T0, "trips", 1L), row(2, T0, "trips", 2L)));
            CompletableFuture<List<Thread>> threads = new CompletableFuture<>();
            CompletableFuture<List<StoredRow>> rows = new CompletableFuture<>();
            app.runOnContext(v -> {
                Thread issuing = Thread.currentThread();
                shared.read(List.of(new ViewRead(driverStats(), List.of(driver(1), driver(2), driver(3)),
                                List.of("trips"))))
                        .whenComplete((read, failure) -> {
                            threads.complete(List.of(issuing, Thread.currentThread()));
                            if (failure != null) {
                                rows.completeExceptionally(failure);
                            } else {
                                rows.complete(read.get(0));
                            }
                        });
            });
            List<StoredRow> read = rows.get(5, TimeUnit.SECONDS);
            assertThat(read.get(0).values()).isEqualTo(Map.of("trips", 1L));
            assertThat(read.get(1).values()).isEqualTo(Map.of("trips", 2L));
            assertThat(read.get(2)).isNull();
            List<Thread> loops = threads.get();
            // issued and completed on the same event loop: the read handed no work to another thread
            assertThat(loops.get(0).getName()).startsWith("vert.x-eventloop-thread-");
            assertThat(loops.get(1)).isSameAs(loops.get(0));

            // a write blocks, and would wait on its own loop there, so it is refused; elsewhere it works
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            app.runOnContext(v -> {
                try {
                    shared.write(driverStats(), List.of(row(4, T0, "trips", 4L)));
                    refused.complete(null);
                } catch (RuntimeException e) {
                    refused.complete(e);
                }
            });
            assertThat(refused.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("would wait on itself");
            assertThat(shared.write(driverStats(), List.of(row(4, T0, "trips", 4L)))).isOne();
            assertThat(readOne(shared, driverStats(), driver(4)).values()).isEqualTo(Map.of("trips", 4L));
        } finally {
            app.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anAsyncReadOfAFrozenServerFailsUnavailableWithinTheTimeoutAndNeverHoldsTheEventLoop() throws Exception {
        Vertx app = Vertx.vertx();
        try (RedisServer own = RedisServer.start();
             RedisOnlineStore fast = new RedisOnlineStore(options(own).timeout(Duration.ofMillis(50)).build(), app)) {
            untilAnswering(fast);
            own.pause();
            try {
                CompletableFuture<Long> failedAfter = new CompletableFuture<>();
                CompletableFuture<Throwable> failure = new CompletableFuture<>();
                CompletableFuture<Long> tickAfter = new CompletableFuture<>();
                long start = System.nanoTime();
                app.runOnContext(v -> {
                    fast.read(List.of(new ViewRead(driverStats(), List.of(driver(0)), List.of("trips"))))
                            .whenComplete((rows, e) -> {
                                failedAfter.complete(millisSince(start));
                                failure.complete(e == null ? null : Stages.cause(e));
                            });
                    // the same loop stays free while the read waits: a 10 ms timer fires on time
                    app.setTimer(10, id -> tickAfter.complete(millisSince(start)));
                });
                assertThat(tickAfter.get(5, TimeUnit.SECONDS)).isLessThan(45L);
                long elapsed = failedAfter.get(5, TimeUnit.SECONDS);
                report("async read against a frozen server failed after %d ms (timeout 50 ms)", elapsed);
                assertThat(elapsed).isBetween(45L, 250L);
                assertThat(failure.get()).isInstanceOfSatisfying(QuiverException.class, e -> {
                    assertThat(e.kind()).isEqualTo(QuiverException.Kind.UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("redis at " + own.uri() + " did not answer within 50 ms");
                });
            } finally {
                own.resume();
            }
        } finally {
            app.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aReplyThatArrivedWhileTheEventLoopWasBusyIsNotCountedLate() throws Exception {
        // A loop kept busy past the timeout by the requests it is reading (a burst of calls just after a start, before
        // the JIT has compiled their code) leaves Redis's prompt reply unread in the socket, and the timer runs before
        // the loop reads its sockets again. Such a reply is not late, and five such calls must not open the circuit.
        Vertx app = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try (RedisOnlineStore fast = new RedisOnlineStore(options(server).timeout(Duration.ofMillis(50)).build(), app)) {
            untilAnswering(fast);
            fast.write(driverStats(), List.of(row(1, T0, "trips", 1L)));
            HttpServer http = app.createHttpServer().requestHandler(request -> {
                // runs on the loop as it reads the request: the read goes out, then the loop works for 200 ms
                fast.read(List.of(new ViewRead(driverStats(), List.of(driver(1)), List.of("trips"))))
                        .whenComplete((rows, e) -> request.response().end(e == null
                                ? "trips=" + rows.get(0).get(0).values().get("trips") : Stages.cause(e).getMessage()));
                long busyUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                while (System.nanoTime() < busyUntil) {
                    Thread.onSpinWait();
                }
            }).listen(0).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1).build();
            for (int call = 0; call < 6; call++) {
                String answer = client.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + http.actualPort() + "/")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(answer).as("call %d", call).isEqualTo("trips=1");
            }
        } finally {
            app.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void concurrentReadsOfAnEventLoopArePipelinedOnItsOneConnection() throws Exception {
        // a pool lends a connection to one call for its whole round trip, so 40 calls in flight would open as many
        // connections as it allows (4 by default) and queue for them; each loop sends all its calls on one instead
        Vertx app = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try (RedisOnlineStore shared = new RedisOnlineStore(options(server).build(), app)) {
            untilAnswering(shared);
            shared.write(driverStats(), List.of(row(1, T0, "trips", 1L)));
            long clientsBefore = Long.parseLong(info("clients", "connected_clients:"));
            long connectionsBefore = stat("total_connections_received");
            CompletableFuture<List<Object>> all = new CompletableFuture<>();
            app.runOnContext(v -> {
                List<CompletableFuture<List<List<StoredRow>>>> reads = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    reads.add(shared.read(List.of(new ViewRead(driverStats(), List.of(driver(1)),
                            List.of("trips")))).toCompletableFuture());
                }
                CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).whenComplete((x, e) -> {
                    if (e != null) {
                        all.completeExceptionally(e);
                    } else {
                        all.complete(reads.stream().map(r -> (Object) r.join().get(0).get(0).values()).toList());
                    }
                });
            });
            assertThat(all.get(5, TimeUnit.SECONDS)).hasSize(40).containsOnly(Map.of("trips", 1L));
            assertThat(stat("total_connections_received")).isEqualTo(connectionsBefore);
            assertThat(Long.parseLong(info("clients", "connected_clients:"))).isEqualTo(clientsBefore);
        } finally {
            app.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void eachEventLoopReadsOnAConnectionThatLivesOnThatLoop() throws Exception {
        // A connection lives on one event loop, which sends its commands and reads its replies. A loop whose calls went
        // out on another loop's connection would hand every call to that loop and back: two thread wake-ups a call.
        // Vert.x's metrics SPI says which thread reads each of the store's sockets (in steps of 4 KB, so each loop
        // reads 100 entities five times: about 7 KB of replies).
        Map<Object, Set<String>> readersBySocket = new ConcurrentHashMap<>();
        VertxMetricsFactory metrics = options -> new VertxMetrics() {
            @Override
            public TCPMetrics<?> createNetClientMetrics(NetClientOptions clientOptions) {
                return new TCPMetrics<Object>() {
                    @Override
                    public Object connected(SocketAddress remoteAddress, String remoteName) {
                        return new Object();
                    }

                    @Override
                    public void bytesRead(Object socket, SocketAddress remoteAddress, long numberOfBytes) {
                        readersBySocket.computeIfAbsent(socket, k -> ConcurrentHashMap.newKeySet())
                                .add(Thread.currentThread().getName());
                    }
                };
            }
        };
        Vertx app = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2)
                .setMetricsOptions(new MetricsOptions().setEnabled(true).setFactory(metrics)));
        try (RedisOnlineStore shared = new RedisOnlineStore(options(server).build(), app)) {
            // a context on each loop: the instances of a verticle take the loops in turn
            Map<String, io.vertx.core.Context> loops = new ConcurrentHashMap<>();
            app.deployVerticle(() -> new AbstractVerticle() {
                @Override
                public void start() {
                    loops.put(Thread.currentThread().getName(), context);
                }
            }, new DeploymentOptions().setInstances(2)).toCompletionStage().toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            assertThat(loops).hasSize(2);
            List<EntityKey> hundred = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                hundred.add(driver(i));
            }
            List<CompletableFuture<?>> reads = new ArrayList<>();
            for (io.vertx.core.Context context : loops.values()) {
                for (int i = 0; i < 5; i++) {
                    CompletableFuture<Object> read = new CompletableFuture<>();
                    context.runOnContext(v -> shared.read(List.of(new ViewRead(driverStats(),
                                    hundred, List.of("trips"))))
                            .whenComplete((rows, e) -> {
                                if (e != null) {
                                    read.completeExceptionally(e);
                                } else {
                                    read.complete(rows);
                                }
                            }));
                    reads.add(read);
                }
            }
            CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

            assertThat(readersBySocket.values()).allSatisfy(readers -> assertThat(readers).hasSize(1));
            Set<String> readingThreads = new HashSet<>();
            readersBySocket.values().forEach(readingThreads::addAll);
            assertThat(readingThreads).as("the threads that read the store's sockets")
                    .containsExactlyInAnyOrderElementsOf(loops.keySet());
        } finally {
            app.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anAsyncReadOfABadKeyFailsItsStageWithBadInputAndSendsNothing() throws Exception {
        long hmgets = commandCalls("hmget");
        CompletableFuture<List<List<StoredRow>>> read = store.read(List.of(new ViewRead(driverStats(),
                List.of(driver(1), EntityKey.of("driver_id", "not a number")), List.of("trips")))).toCompletableFuture();
        assertThatThrownBy(() -> read.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(QuiverException.class)
                .cause().isInstanceOfSatisfying(QuiverException.class, e -> {
                    assertThat(e.kind()).isEqualTo(QuiverException.Kind.BAD_INPUT);
                    assertThat(e.field()).isEqualTo("reads[0].keys[1].driver_id");
                });
        assertThat(commandCalls("hmget")).isEqualTo(hmgets);
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> store.write(driverStats(), List.of(row(1, T0, "speed", 1.0))))
                .isInstanceOfSatisfying(QuiverException.class, e -> {
                    assertThat(e.kind()).isEqualTo(QuiverException.Kind.BAD_INPUT);
                    assertThat(e.field()).isEqualTo("rows[0].values.speed");
                });
        assertThatThrownBy(() -> store.write(driverStats(), List.of(row(1, T0, "trips", "many"))))
                .isInstanceOfSatisfying(QuiverException.class,
                        e -> assertThat(e.field()).isEqualTo("rows[0].values.trips"));
        assertThat(raw.call("DBSIZE")).isEqualTo(0L);
    }

    // ---- Redis slow, down and back ------------------------------------------------------------------------------------

    @Test
    void aFrozenServerFailsTheCallUnavailableWithinTheTimeout() {
        try (RedisServer own = RedisServer.start();
             RedisOnlineStore fast = new RedisOnlineStore(options(own).timeout(Duration.ofMillis(50)).build())) {
            untilAnswering(fast);
            fast.write(driverStats(), List.of(row(1, T0, "trips", 1L)));
            own.pause();
            try {
                long start = System.nanoTime();
                assertThatThrownBy(() -> readOne(fast, driverStats(), driver(1)))
                        .isInstanceOfSatisfying(QuiverException.class, e -> {
                            assertThat(e.kind()).isEqualTo(QuiverException.Kind.UNAVAILABLE);
                            assertThat(e.getMessage())
                                    .isEqualTo("redis at " + own.uri() + " did not answer within 50 ms");
                        });
                long elapsed = millisSince(start);
                report("read against a frozen server failed after %d ms (timeout 50 ms)", elapsed);
                assertThat(elapsed).isBetween(45L, 250L);

                start = System.nanoTime();
                assertThatThrownBy(() -> fast.write(driverStats(), List.of(row(1, T0.plusSeconds(1), "trips", 2L))))
                        .isInstanceOfSatisfying(QuiverException.class,
                                e -> assertThat(e.kind()).isEqualTo(QuiverException.Kind.UNAVAILABLE));
                elapsed = millisSince(start);
                report("write against a frozen server failed after %d ms (timeout 50 ms)", elapsed);
                assertThat(elapsed).isBetween(45L, 250L);
            } finally {
                own.resume();
            }
        }
    }

    @Test
    void theCircuitOpensAfterTheThresholdFailsFastAndClosesAfterATrialOnceRedisIsBack() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (RedisServer own = RedisServer.start();
             SdkTracerProvider tracing = SdkTracerProvider.builder()
                     .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
             RedisOnlineStore guarded = new RedisOnlineStore(options(own).timeout(Duration.ofMillis(50))
                     .failureThreshold(5).openDuration(Duration.ofSeconds(1)).tracer(tracing.get("it")).build())) {
            untilAnswering(guarded);
            guarded.write(driverStats(), List.of(row(1, T0, "trips", 1L)));
            own.pause();
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> readOne(guarded, driverStats(), driver(1)))
                        .hasMessageContaining("did not answer within 50 ms");
            }
            spans.reset();

            QuiverException e = null;
            for (int i = 0; i < 20; i++) {
                QuiverException failed = null;
                try {
                    readOne(guarded, driverStats(), driver(1));
                } catch (QuiverException thrown) {
                    failed = thrown;
                }
                String call = "call " + i + " on the open circuit";
                assertThat(failed).as(call).isNotNull();
                assertThat(failed.kind()).as(call).isEqualTo(QuiverException.Kind.UNAVAILABLE);
                assertThat(failed.getMessage()).as(call).contains("circuit is open");
                e = failed;
            }
            // no round trip at all: every round trip is a span, and there are none
            assertThat(spans.getFinishedSpanItems()).isEmpty();
            assertThat(e.kind()).isEqualTo(QuiverException.Kind.UNAVAILABLE);
            assertThat(e.getMessage()).isEqualTo("redis at " + own.uri() + " is unavailable: the circuit is open after"
                    + " 5 failed calls in a row; it will be tried again in " + e.retryAfter().toMillis() + " ms");
            assertThat(e.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(guarded.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));

            own.resume();
            // still open until the open duration has passed, even though Redis is back
            assertThatThrownBy(() -> readOne(guarded, driverStats(), driver(1))).hasMessageContaining("circuit is open");

            RedisServer.sleep(guarded.retryAfter().toMillis() + 50);
            assertThat(guarded.retryAfter()).isZero();
            assertThat(readOne(guarded, driverStats(), driver(1)).values()).isEqualTo(Map.of("trips", 1L));
            assertThat(guarded.write(driverStats(), List.of(row(1, T0.plusSeconds(1), "trips", 2L)))).isEqualTo(1);
            assertThat(readOne(guarded, driverStats(), driver(1)).values()).isEqualTo(Map.of("trips", 2L));
        }
    }

    @Test
    void manyTrialsAgainstAFrozenServerLeaveTheLoopAbleToConnectOnceItIsBack() {
        // Each late call closes its loop's connection and the next opens another, whose handshake a frozen server
        // leaves hanging. Forty trials are more than a loop's client holds connections and waiters (8 and 8); once
        // Redis is back, the loop must still get a connection and read.
        try (RedisServer own = RedisServer.start();
             RedisOnlineStore guarded = new RedisOnlineStore(options(own).timeout(Duration.ofMillis(50))
                     .failureThreshold(1).openDuration(Duration.ofMillis(20)).build())) {
            untilAnswering(guarded);
            guarded.write(driverStats(), List.of(row(1, T0, "trips", 1L)));
            own.pause();
            int failed = 0;
            try {
                for (int i = 0; i < 40; i++) {
                    try {
                        readOne(guarded, driverStats(), driver(1));
                    } catch (QuiverException expected) {
                        failed++;
                    }
                    RedisServer.sleep(25);
                }
            } finally {
                own.resume();
            }
            assertThat(failed).isEqualTo(40);
            long start = System.nanoTime();
            StoredRow read = null;
            while (read == null && millisSince(start) < 10_000) {
                try {
                    read = readOne(guarded, driverStats(), driver(1));
                } catch (QuiverException notYet) {
                    RedisServer.sleep(50);
                }
            }
            String connections;
            try (RawRedis ownRaw = own.client()) {
                connections = info(ownRaw, "stats", "total_connections_received:");
            }
            report("reads came back %d ms after the server did; it had received %s connections", millisSince(start),
                    connections);
            assertThat(read).as("a read within 10 s of the server's return").isNotNull();
            assertThat(read.values()).isEqualTo(Map.of("trips", 1L));
        }
    }

    @Test
    void aKilledServerFailsCallsUnavailableAndOneRestartedOnTheSamePortIsUsedAgain() {
        try (RedisServer own = RedisServer.start();
             RedisOnlineStore guarded = new RedisOnlineStore(options(own).timeout(Duration.ofMillis(50))
                     .failureThreshold(3).openDuration(Duration.ofMillis(300)).build())) {
            untilAnswering(guarded);
            guarded.write(driverStats(), List.of(row(1, T0, "trips", 1L)));
            own.kill();

            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> readOne(guarded, driverStats(), driver(1)))
                        .isInstanceOfSatisfying(QuiverException.class, e -> {
                            assertThat(e.kind()).isEqualTo(QuiverException.Kind.UNAVAILABLE);
                            assertThat(e.getMessage()).startsWith("redis at " + own.uri());
                        });
                report("read against a killed server failed after %d ms", millisSince(start));
            }
            assertThatThrownBy(() -> readOne(guarded, driverStats(), driver(1))).hasMessageContaining("circuit is open");

            own.startAgain();
            // the circuit lets a call through once it has been open for its time; on a busy machine the restarted
            // server may not accept that first one yet, and the circuit opens again for another round
            StoredRow afterRestart = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (boolean read = false; !read; ) {
                RedisServer.sleep(guarded.retryAfter().toMillis() + 50);
                try {
                    afterRestart = Stages.join(guarded.read(List.of(new ViewRead(driverStats(), List.of(driver(1)),
                            List.of("trips"))))).get(0).get(0);
                    read = true;
                } catch (QuiverException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw notYet;
                    }
                }
            }
            // the restarted server has no data (no persistence) and no cached script: EVALSHA falls back to EVAL
            assertThat(afterRestart).isNull();
            try (RawRedis restarted = own.client()) {
                assertThat(restarted.call("SCRIPT", "EXISTS", WriteScript.SHA1)).isEqualTo(List.of(0L));
                assertThat(guarded.write(driverStats(), List.of(row(1, T0, "trips", 5L), row(2, T0, "trips", 6L))))
                        .isEqualTo(2);
                assertThat(restarted.call("SCRIPT", "EXISTS", WriteScript.SHA1)).isEqualTo(List.of(1L));
            }
            assertThat(readOne(guarded, driverStats(), driver(2)).values()).isEqualTo(Map.of("trips", 6L));
        }
    }

    @Test
    void aClosedStoreFailsUnavailable() {
        RedisOnlineStore closed = new RedisOnlineStore(options(server).build());
        closed.close();
        assertThatThrownBy(() -> readOne(closed, driverStats(), driver(1)))
                .isInstanceOfSatisfying(QuiverException.class, e -> {
                    assertThat(e.kind()).isEqualTo(QuiverException.Kind.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("closed");
                });
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /**
     * Waits until a store with a short timeout has answered once: its very first calls, in a fresh JVM, may take
     * longer than 50 ms (class loading, the first connection); a success also resets the breaker's count.
     */
    private static void untilAnswering(RedisOnlineStore store) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                store.write(driverStats(), List.of(row(0, T0, "trips", 0L)));
                Stages.join(store.read(List.of(new ViewRead(driverStats(), List.of(driver(0)), List.of("trips")))));
                return;
            } catch (QuiverException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                RedisServer.sleep(Math.max(10, store.retryAfter().toMillis()));
            }
        }
    }

    private StoredRow readOne(FeatureView view, EntityKey key, List<String> features) {
        return Stages.join(store.read(List.of(new ViewRead(view, List.of(key), features)))).get(0).get(0);
    }

    private static StoredRow readOne(RedisOnlineStore store, FeatureView view, EntityKey key) {
        return Stages.join(store.read(List.of(new ViewRead(view, List.of(key), features(view))))).get(0).get(0);
    }

    private static Map<String, String> hgetall(byte[] key) {
        List<Object> flat = asList(raw.call("HGETALL", key));
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < flat.size(); i += 2) {
            fields.put(hex((byte[]) flat.get(i)), hex((byte[]) flat.get(i + 1)));
        }
        return fields;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object reply) {
        return (List<Object>) reply;
    }

    /** A field of {@code INFO stats}. */
    private static long stat(String name) {
        return Long.parseLong(info("stats", name + ":"));
    }

    /** How often Redis ran {@code command}, from {@code INFO commandstats}; 0 before its first call. */
    private static long commandCalls(String command) {
        String line = info("commandstats", "cmdstat_" + command + ":");
        return line == null ? 0 : Long.parseLong(line.substring("calls=".length(), line.indexOf(',')));
    }

    private static String info(String section, String prefix) {
        return info(raw, section, prefix);
    }

    private static String info(RawRedis redis, String section, String prefix) {
        for (String line : redis.text("INFO", section).split("\r\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        return null;
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Timings go to the test output, so a build log shows them. */
    private static void report(String format, Object... args) {
        System.out.printf("[RedisOnlineStoreIT] " + format + "%n", args);
    }
}
