package dev.quiver.drift.capture;

import dev.quiver.testing.SimClock;
import dev.quiver.prediction.PredictRequest;
import dev.quiver.prediction.PredictionObserver;
import dev.quiver.prediction.PredictionService;
import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.testing.Artifacts;
import dev.quiver.testing.Descriptors;
import dev.quiver.testing.FakeEngine;
import dev.quiver.testing.Rows;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Predictions through the real service are captured per version and window into sketches, saved per instance,
 * and merged across instances; capture never fails a prediction.
 */
class CaptureTest {

    @TempDir
    Path root;
    private final SimClock clock = new SimClock();
    private ModelRegistry registry;
    private PredictionService service;

    @BeforeEach
    void setUp() {
        registry = new ModelRegistry(new DirectoryModelStore(root.resolve("models")), new FakeEngine(), clock);
        registry.register("churn", Descriptors.classifier().numbers(2).category("plan", "basic", "pro", "team").build(),
                Artifacts.model("v1"));
        registry.setAlias("churn", ModelRegistry.CHAMPION, "1");
        service = new PredictionService(registry, 1000, PredictionObserver.NONE);
    }

    private Capture capture(String instance, ProfileStore store) {
        Capture c = new Capture(store, clock, Duration.ofHours(1), instance);
        service.captureTo(c);
        return c;
    }

    /** {@code n} rows: n0 uniform on [0, 2), n1 = 10 * n0, plan cycling basic, pro, team, team. */
    private void send(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        String[] plans = {"basic", "pro", "team", "team"};
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x = rnd.nextDouble() * 2;
            rows.add(Rows.plan(x, 10 * x, plans[i % 4]));
            if (rows.size() == 100) {
                service.predict(new PredictRequest("churn", null, null, rows, null));
                rows = new ArrayList<>();
            }
        }
        if (!rows.isEmpty()) {
            service.predict(new PredictRequest("churn", null, null, rows, null));
        }
    }

    @Test
    void aWindowsProfileHoldsQuantilesCategoryCountsLabelsAndScores() {
        DirectoryProfileStore store = new DirectoryProfileStore(root.resolve("profiles"));
        Capture c = capture("i-1", store);
        send(10_000, 1);
        c.flush();
        Instant window = c.windowOf(clock.instant());
        List<Profile.Saved> saved = store.load("churn", "1", window);
        assertThat(saved).hasSize(1);
        Profile.Saved p = saved.get(0);
        assertThat(p.rows()).isEqualTo(10_000);
        assertThat(p.categories().get("plan")).containsExactly(2500, 2500, 5000);
        KllDoublesSketch n0 = Profile.numeric(p, "n0");
        assertThat(n0.getN()).isEqualTo(10_000);
        // uniform on [0, 2): the median is about 1, within KLL's rank error at k = 200
        assertThat(n0.getQuantile(0.5, QuantileSearchCriteria.INCLUSIVE)).isCloseTo(1.0, within(0.05));
        assertThat(Profile.numeric(p, "n1").getQuantile(0.9, QuantileSearchCriteria.INCLUSIVE)).isCloseTo(18.0, within(0.6));
        // the fake model says yes when n0 >= 1: about half the rows
        assertThat(p.labelCounts()[0] + p.labelCounts()[1]).isEqualTo(10_000);
        assertThat((double) p.labelCounts()[1] / 10_000).isCloseTo(0.5, within(0.03));
        assertThat(Arrays.stream(p.scoreHistogram()).sum()).isEqualTo(10_000);
        assertThat(c.captured()).isEqualTo(10_000);
        assertThat(c.dropped()).isZero();
    }

    @Test
    void instancesProfilesOfAWindowMergeIntoOneAndANewWindowStartsAfresh() {
        DirectoryProfileStore store = new DirectoryProfileStore(root.resolve("profiles"));
        Capture a = capture("a", store);
        send(3_000, 2);
        Capture b = capture("b", store);
        send(5_000, 3);
        a.flush();
        b.flush();
        Instant first = a.windowOf(clock.instant());
        Profile.Saved merged = Profile.merge(store.load("churn", "1", first));
        assertThat(merged.rows()).isEqualTo(8_000);
        assertThat(Profile.numeric(merged, "n0").getN()).isEqualTo(8_000);
        assertThat(Arrays.stream(merged.categories().get("plan")).sum()).isEqualTo(8_000);
        // moments merge exactly: n0 is uniform on [0, 2), so its mean is about 1 and its std about 2/sqrt(12)
        Profile.Moments m = merged.moments().get("n0");
        assertThat(m.count()).isEqualTo(8_000);
        assertThat(m.mean()).isCloseTo(1.0, within(0.03));
        assertThat(m.std()).isCloseTo(2 / Math.sqrt(12), within(0.02));
        Profile.Moments one = store.load("churn", "1", first).get(0).moments().get("n0");
        Profile.Moments two = store.load("churn", "1", first).get(1).moments().get("n0");
        assertThat(one.plus(two).mean() * 8_000).isCloseTo(one.mean() * one.count() + two.mean() * two.count(), within(1e-6));

        clock.now = clock.now.plus(Duration.ofHours(1));
        send(1_000, 4);      // b is the capture the service calls now
        b.flush();
        List<Instant> windows = store.windows("churn", "1");
        assertThat(windows).containsExactly(first, first.plus(Duration.ofHours(1)));
        assertThat(Profile.merge(store.load("churn", "1", windows.get(1))).rows()).isEqualTo(1_000);
        assertThat(Profile.merge(store.load("churn", "1", first)).rows()).as("the old window kept").isEqualTo(8_000);
    }

    @Test
    void captureNeverFailsAPrediction() {
        ProfileStore broken = new ProfileStore() {
            @Override
            public void save(String instance, Profile.Saved profile) {
                throw new IllegalStateException("disk full");
            }

            @Override
            public List<Profile.Saved> load(String model, String version, Instant windowStart) {
                return List.of();
            }

            @Override
            public List<Instant> windows(String model, String version) {
                return List.of();
            }

            @Override
            public void appendPredictions(String instance, String model, String version, Instant windowStart,
                                          List<LoggedPrediction> rows) {
                throw new IllegalStateException("disk full");
            }

            @Override
            public List<LoggedPrediction> predictions(String model, String version, Instant windowStart) {
                return List.of();
            }

            @Override
            public void appendOutcomes(String instance, String model, List<Outcome> outcomes) {
                throw new IllegalStateException("disk full");
            }

            @Override
            public Map<String, String> outcomes(String model) {
                return Map.of();
            }

            @Override
            public boolean claim(String model, String version, Instant windowStart, String action, String note) {
                throw new IllegalStateException("disk full");
            }

            @Override
            public Map<String, String> claims(String model, String version, Instant windowStart) {
                return Map.of();
            }
        };
        Capture c = capture("i-1", broken);
        send(500, 5);
        c.flush();
        assertThat(c.flushFailures()).isEqualTo(1);
        assertThat(c.captured()).isEqualTo(500);
        // an input the profile cannot read (the wrong width) is dropped and counted, not thrown
        c.served(registry.resolve("churn", null, null),
                dev.quiver.tensor.Tensor.of("features", new float[] {1f}, 1, 1), 1, new double[] {0.5, 0.5}, null,
                "r", null);
        assertThat(c.dropped()).isEqualTo(1);
    }

    @Test
    void predictionsAreLoggedByRequestIdAndRowForTheirLabels() {
        DirectoryProfileStore store = new DirectoryProfileStore(root.resolve("profiles"));
        Capture c = capture("i-1", store);
        service.predict(new PredictRequest("churn", null, null, List.of(Rows.plan(1.5, 15, "pro"), Rows.plan(0.25, 2.5, "team")),
                "req-7"));
        c.flush();
        List<LoggedPrediction> logged = store.predictions("churn", "1", c.windowOf(clock.instant()));
        assertThat(logged).extracting(LoggedPrediction::requestId, LoggedPrediction::row, LoggedPrediction::label)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("req-7", 0, "yes"),
                        org.assertj.core.groups.Tuple.tuple("req-7", 1, "no"));
        assertThat(logged.get(0).score()).isCloseTo(0.6, within(1e-6));
        store.appendOutcomes("d-1", "churn", List.of(new Outcome("req-7", 1, "yes"), new Outcome("req-7", null, "yes")));
        store.appendOutcomes("d-2", "churn", List.of(new Outcome("req-7", 1, "no")));
        assertThat(store.outcomes("churn")).containsEntry("req-7#0", "yes").containsKey("req-7#1").hasSize(2);
        c.flush();
        assertThat(store.predictions("churn", "1", c.windowOf(clock.instant()))).as("drained once").hasSize(2);
    }

    @Test
    void predictionsAreSavedBetweenProfileFlushesWithoutTheProfile() {
        DirectoryProfileStore store = new DirectoryProfileStore(root.resolve("predictions-only"));
        Capture c = capture("i-1", store);
        service.predict(new PredictRequest("churn", null, null, List.of(Rows.plan(1.5, 15, "pro")), "req-8"));
        Instant window = c.windowOf(clock.instant());

        c.flushPredictions();

        assertThat(store.predictions("churn", "1", window)).extracting(LoggedPrediction::requestId)
                .containsExactly("req-8");
        assertThat(store.load("churn", "1", window)).as("no profile saved yet").isEmpty();
        c.flush();
        assertThat(store.load("churn", "1", window)).singleElement()
                .satisfies(saved -> assertThat(saved.rows()).isEqualTo(1));
        assertThat(store.predictions("churn", "1", window)).as("each saved once").hasSize(1);
    }

    @Test
    void appendedRowsAreALineEachAndALineTornByACrashCostsOnlyItself() throws java.io.IOException {
        Instant w = Instant.parse("2026-11-28T03:00:00Z");
        DirectoryProfileStore store = new DirectoryProfileStore(root.resolve("lines"));
        store.appendPredictions("i-1", "churn", "1", w,
                List.of(new LoggedPrediction("a", 0, 0.25, "no"), new LoggedPrediction("a", 1, 0.75, "yes")));
        Path file = root.resolve("lines/churn/1/" + w.getEpochSecond() + "/i-1.predictions.jsonl");
        assertThat(java.nio.file.Files.readAllLines(file)).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{"));

        // a crash in the middle of an append leaves half a line
        java.nio.file.Files.writeString(file, "{\"request_id\":\"torn\",\"ro", java.nio.file.StandardOpenOption.APPEND);
        store.appendPredictions("i-1", "churn", "1", w, List.of(new LoggedPrediction("b", 0, 0.5, "no")));

        assertThat(store.predictions("churn", "1", w)).extracting(LoggedPrediction::requestId, LoggedPrediction::row)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 0), org.assertj.core.groups.Tuple.tuple("a", 1),
                        org.assertj.core.groups.Tuple.tuple("b", 0));
    }

    @Test
    void aClaimKeepsTheNoteOfTheFirstClaimant() {
        Instant w = Instant.parse("2026-11-28T03:00:00Z");
        DirectoryProfileStore store = new DirectoryProfileStore(root.resolve("claims"));

        assertThat(store.claims("churn", "1", w)).isEmpty();
        assertThat(store.claim("churn", "1", w, "incident-dataset", "c-1")).isTrue();
        assertThat(store.claim("churn", "1", w, "incident-dataset", "c-2")).isFalse();
        assertThat(store.claim("churn", "1", w, "clear-accuracy")).isTrue();

        assertThat(store.claims("churn", "1", w))
                .containsExactly(Map.entry("clear-accuracy", ""), Map.entry("incident-dataset", "c-1"));
    }
}
