package dev.quiver.redis.profiles;

import dev.quiver.drift.capture.LoggedPrediction;
import dev.quiver.drift.capture.Outcome;
import dev.quiver.drift.capture.Profile;
import dev.quiver.error.QuiverException;
import dev.quiver.model.InputField;
import dev.quiver.redis.RedisFixture;
import io.opentelemetry.api.trace.TracerProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RedisProfileStore} against a real redis-server: what the predict instances save, the drift function reads. */
class RedisProfileStoreIT {

    private static final Instant NOW = Instant.parse("2026-11-28T10:15:00Z");
    private static final Instant W10 = Instant.parse("2026-11-28T10:00:00Z");
    private static final Instant W09 = Instant.parse("2026-11-28T09:00:00Z");
    private static final List<InputField> FIELDS = List.of(InputField.number("minutes"),
            InputField.category("plan", List.of("basic", "pro")));

    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture("quiver:profiles");

    private RedisProfileStore store(String prefix, Duration retention) {
        return REDIS.open(new RedisProfileStore(REDIS.server().uri(), REDIS.prefix() + ":" + prefix,
                Duration.ofSeconds(2), retention, TracerProvider.noop().get("test"), Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    /** A profile of {@code rows} rows, minutes i * scale, plan alternating. */
    private static Profile.Saved profile(Instant window, int rows, double scale) {
        double[] encoded = new double[rows * 3];
        double[] probabilities = new double[rows * 2];
        for (int i = 0; i < rows; i++) {
            encoded[i * 3] = i * scale;
            encoded[i * 3 + 1 + (i % 2)] = 1;
            probabilities[i * 2] = 0.7;
            probabilities[i * 2 + 1] = 0.3;
        }
        Profile.Saved p = Profile.reference("churn", FIELDS, List.of("no", "yes"), encoded, rows, probabilities, window);
        return new Profile.Saved(p.model(), "1", window, p.rows(), p.labels(), p.labelCounts(), p.numeric(),
                p.moments(), p.categoryNames(), p.categories(), p.score(), p.scoreHistogram());
    }

    @Test
    void instancesSaveTheirProfilesAndAReaderMergesThem() {
        RedisProfileStore a = store("t1", Duration.ZERO);
        RedisProfileStore b = store("t1", Duration.ZERO);
        a.save("i-1", profile(W10, 10, 1));
        a.save("i-1", profile(W10, 40, 1)); // replaces i-1's profile of that window
        b.save("i-2", profile(W10, 60, 2));
        b.save("i-2", profile(W09, 5, 1));

        RedisProfileStore reader = store("t1", Duration.ZERO);
        assertThat(reader.windows("churn", "1")).containsExactly(W09, W10);
        List<Profile.Saved> saved = reader.load("churn", "1", W10);
        assertThat(saved).extracting(Profile.Saved::rows).containsExactly(40L, 60L);
        Profile.Saved merged = Profile.merge(saved);
        assertThat(merged.rows()).isEqualTo(100);
        assertThat(merged.categories().get("plan")).containsExactly(50, 50);
        assertThat(Profile.numeric(merged, "minutes").getMaxItem()).isEqualTo(118.0);
        assertThat(reader.load("churn", "1", Instant.parse("2026-11-28T08:00:00Z"))).isEmpty();
        assertThat(reader.windows("churn", "2")).isEmpty();
        assertThat(store("other", Duration.ZERO).windows("churn", "1")).as("another prefix").isEmpty();
    }

    @Test
    void predictionLogsOfEveryInstanceAppendInChunksAndLabelsMatchByRequestAndRow() throws Exception {
        RedisProfileStore s = store("t2", Duration.ZERO);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int instance = 0; instance < 4; instance++) {
            int n = instance;
            done.add(pool.submit(() -> {
                List<LoggedPrediction> rows = new ArrayList<>();
                for (int i = 0; i < 2_500; i++) {
                    rows.add(new LoggedPrediction("r" + n + "-" + i, 0, i / 2_500.0, i % 3 == 0 ? "yes" : "no"));
                }
                s.appendPredictions("i-" + n, "churn", "1", W10, rows);
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        List<LoggedPrediction> logged = s.predictions("churn", "1", W10);
        assertThat(logged).hasSize(10_000);
        assertThat(logged).filteredOn(p -> p.requestId().equals("r3-2499"))
                .singleElement().satisfies(p -> assertThat(p.score()).isEqualTo(2_499 / 2_500.0));
        assertThat(s.predictions("churn", "1", W09)).isEmpty();

        s.appendOutcomes("d-1", "churn", List.of(new Outcome("r0-1", null, "yes"), new Outcome("r0-2", 0, "no")));
        s.appendOutcomes("d-2", "churn", List.of(new Outcome("r0-2", 0, "yes")));
        assertThat(s.outcomes("churn")).containsEntry("r0-1#0", "yes").containsEntry("r0-2#0", "yes").hasSize(2);
        assertThat(s.outcomes("other")).isEmpty();
    }

    @Test
    void anActionIsClaimedOnceAcrossInstances() throws Exception {
        RedisProfileStore a = store("t3", Duration.ZERO);
        RedisProfileStore b = store("t3", Duration.ZERO);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Boolean>> tries = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            RedisProfileStore s = i % 2 == 0 ? a : b;
            String note = "incident-" + i;
            tries.add(pool.submit(() -> s.claim("churn", "1", W10, "incident-dataset", note)));
        }
        int won = 0;
        for (Future<Boolean> t : tries) {
            won += t.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(won).isEqualTo(1);
        int winner = 0;
        while (!tries.get(winner).get()) {
            winner++;
        }
        assertThat(b.claims("churn", "1", W10)).as("the winner's note").containsExactly(
                Map.entry("incident-dataset", "incident-" + winner));
        assertThat(a.claim("churn", "1", W09, "incident-dataset")).as("another window").isTrue();
        assertThat(a.claim("churn", "1", W10, "clear-accuracy")).as("another action").isTrue();
        assertThat(a.claims("churn", "1", W10)).containsEntry("clear-accuracy", "").hasSize(2);
        assertThat(a.claims("churn", "1", W09.minusSeconds(3600))).isEmpty();
    }

    @Test
    void withARetentionKeysExpireAndOldWindowsLeaveTheIndex() throws Exception {
        RedisProfileStore s = store("t4", Duration.ofHours(2));
        Instant old = NOW.minus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        store("t4", Duration.ZERO).save("i-1", profile(old, 5, 1));
        s.save("i-1", profile(W10, 5, 1));
        s.appendPredictions("i-1", "churn", "1", W10, List.of(new LoggedPrediction("r", 0, 0.5, "no")));
        s.appendOutcomes("d-1", "churn", List.of(new Outcome("r", 0, "no")));
        assertThat(s.windows("churn", "1")).as("the 3-hour-old window pruned by the save").containsExactly(W10);
        try (var raw = new java.net.Socket("127.0.0.1", REDIS.server().port())) {
            String t4 = REDIS.prefix() + ":t4";
            for (String key : List.of(t4 + ":churn:1:" + W10.getEpochSecond() + ":profiles",
                    t4 + ":churn:1:" + W10.getEpochSecond() + ":predictions", t4 + ":churn:outcomes",
                    t4 + ":churn:1:windows")) {
                long ttl = pttl(raw, key);
                assertThat(ttl).as(key).isBetween(Duration.ofHours(2).minusMinutes(1).toMillis(),
                        Duration.ofHours(2).toMillis());
            }
        }
    }

    /** PTTL over a plain socket, independent of the client under test. */
    private static long pttl(java.net.Socket socket, String key) throws java.io.IOException {
        String cmd = "*2\r\n$4\r\nPTTL\r\n$" + key.length() + "\r\n" + key + "\r\n";
        socket.getOutputStream().write(cmd.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                java.nio.charset.StandardCharsets.US_ASCII));
        String line = in.readLine();
        assertThat(line).startsWith(":");
        return Long.parseLong(line.substring(1));
    }

    @Test
    void aDownRedisFailsCallsUnavailableWithinTheTimeout() {
        RedisProfileStore s = store("t5", Duration.ZERO);
        s.save("i-1", profile(W10, 5, 1));
        REDIS.server().pause();
        try {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> s.save("i-1", profile(W10, 6, 1)))
                    .isInstanceOf(QuiverException.class)
                    .satisfies(e -> assertThat(((QuiverException) e).kind()).isEqualTo(QuiverException.Kind.UNAVAILABLE))
                    .hasMessageContaining("redis at " + REDIS.server().uri());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        } finally {
            REDIS.server().resume();
        }
        // The late save was already on the socket and may land once Redis runs again; either way one profile.
        assertThat(s.load("churn", "1", W10)).singleElement().extracting(Profile.Saved::rows).isIn(5L, 6L);
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> new RedisProfileStore("http://x", "p", Duration.ofSeconds(1), Duration.ZERO,
                TracerProvider.noop().get("t"), Clock.systemUTC())).hasMessageStartingWith("uri:");
        assertThatThrownBy(() -> new RedisProfileStore(REDIS.server().uri(), " ", Duration.ofSeconds(1), Duration.ZERO,
                TracerProvider.noop().get("t"), Clock.systemUTC())).hasMessageStartingWith("key-prefix:");
        assertThatThrownBy(() -> new RedisProfileStore(REDIS.server().uri(), "p", Duration.ofSeconds(1), Duration.ofSeconds(-1),
                TracerProvider.noop().get("t"), Clock.systemUTC())).hasMessageStartingWith("retention:");
    }
}
