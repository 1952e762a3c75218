package dev.quiver.prediction;

import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import dev.quiver.feature.Entity;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.Feature;
import dev.quiver.feature.FeatureDefinitions;
import dev.quiver.feature.FeatureRef;
import dev.quiver.feature.FeatureRow;
import dev.quiver.feature.FeatureView;
import dev.quiver.feature.FetchObserver;
import dev.quiver.feature.FileOnlineStore;
import dev.quiver.feature.OnlineFeatures;
import dev.quiver.feature.OnlineStore;
import dev.quiver.feature.StoredRow;
import dev.quiver.feature.ValueType;
import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.model.InputField;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.testing.Artifacts;
import dev.quiver.testing.Descriptors;
import dev.quiver.testing.FakeEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Predictions by entity id: features read from the online store, per-row gaps, and a store that is down. */
class EntityPredictionTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Entity USER = new Entity("user", "user_id", ValueType.INT64, null);
    private static final FeatureView VIEW = new FeatureView("user_stats", List.of(USER),
            List.of(new Feature("n0", ValueType.DOUBLE), new Feature("n1", ValueType.DOUBLE), new Feature("plan", ValueType.STRING)),
            Duration.ofDays(1), null, null);
    private static final FeatureDefinitions DEFS = new FeatureDefinitions("p", List.of(USER), List.of(VIEW),
            Map.of("scoring", List.of(new FeatureRef("user_stats", "n0"), new FeatureRef("user_stats", "n1"),
                    new FeatureRef("user_stats", "plan"))));

    @TempDir
    Path dir;
    private ModelRegistry registry;
    private FileOnlineStore store;

    @BeforeEach
    void setUp() {
        registry = new ModelRegistry(new DirectoryModelStore(dir.resolve("models")), new FakeEngine(), Clock.systemUTC());
        store = new FileOnlineStore(dir.resolve("features"), DEFS);
        put(1, NOW.minusSeconds(60), 3.0, 1.0, "pro");
        put(2, NOW.minus(Duration.ofDays(2)), 0.5, 2.0, "basic");
        Map<String, Object> partial = new HashMap<>(Map.of("n0", 9.0, "plan", "team"));
        partial.put("n1", null);
        store.write(VIEW, List.of(new FeatureRow(EntityKey.of("user_id", 3L), NOW, partial)));
        put(4, NOW, 1.0, 1.0, "enterprise");
    }

    private void put(long id, Instant at, double n0, double n1, String plan) {
        store.write(VIEW, List.of(new FeatureRow(EntityKey.of("user_id", id), at, Map.of("n0", n0, "n1", n1, "plan", plan))));
    }

    private PredictionService service(OnlineStore s, ModelDescriptor d, boolean defaultsWhenDown) {
        registry.register("m", d, Artifacts.model("m"));
        registry.setAlias("m", ModelRegistry.CHAMPION, "1");
        OnlineFeatures f = new OnlineFeatures(DEFS, s, Clock.fixed(NOW, ZoneOffset.UTC), 100, FetchObserver.NONE);
        return new PredictionService(registry, 10, PredictionObserver.NONE,
                new EntityFeatures(f, Map.of("m", "scoring"), defaultsWhenDown));
    }

    private static ModelDescriptor model(Object n1Default) {
        InputField n1 = InputField.number("n1");
        return Descriptors.classifier().numbers(1).field(n1Default == null ? n1 : n1.withDefault(n1Default))
                .category("plan", "basic", "pro", "team").build();
    }

    private static PredictRequest byIds(Object... ids) {
        return new PredictRequest("m", null, null, null, "r", Map.of("user_id", List.of(ids)));
    }

    @Test
    void scoresEachEntityOnItsStoredFeaturesAndSaysWhatWasMissingOrStale() {
        PredictResult r = Stages.join(service(store, model(0.0), false).predict(byIds(1, 2, 3)));

        assertThat(r.predictions()).hasSize(3);
        PredictResult.Row fresh = r.predictions().get(0);
        assertThat(fresh.entity()).containsEntry("user_id", 1L);
        assertThat(fresh.probabilities()).containsEntry("yes", 0.75);  // FakeEngine: x/(1+x) with x = n0 = 3
        assertThat(fresh.missing()).isEmpty();
        assertThat(fresh.stale()).isEmpty();
        assertThat(r.predictions().get(1).stale()).containsExactly("n0", "n1", "plan");
        assertThat(r.predictions().get(1).label()).isEqualTo("no");
        PredictResult.Row defaulted = r.predictions().get(2);
        assertThat(defaulted.missing()).containsExactly("n1");
        assertThat(defaulted.error()).isNull();
        assertThat(defaulted.probabilities().get("yes")).isCloseTo(0.9, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void aRowMissingARequiredFeatureFailsAloneWithAClearError() {
        PredictResult r = Stages.join(service(store, model(null), false).predict(byIds(1, 3, 99)));

        assertThat(r.predictions().get(0).label()).isEqualTo("yes");
        PredictResult.Row partial = r.predictions().get(1);
        assertThat(partial.label()).isNull();
        assertThat(partial.error()).isEqualTo("missing feature n1 for {user_id=3}, and the model declares no default");
        PredictResult.Row unknown = r.predictions().get(2);
        assertThat(unknown.error()).isEqualTo("no features stored for {user_id=99}");
        assertThat(unknown.missing()).containsExactly("n0", "n1", "plan");
    }

    @Test
    void aStoredValueTheModelCannotTakeFailsItsOwnRow() {
        PredictResult r = Stages.join(service(store, model(0.0), false).predict(byIds(4, 1)));
        assertThat(r.predictions().get(0).error()).startsWith("stored plan: unknown category 'enterprise'");
        assertThat(r.predictions().get(1).label()).isEqualTo("yes");
    }

    @Test
    void aStoreThatIsDownIs503UnlessDefaultsMayStandIn() {
        OnlineStore down = new OnlineStore() {
            @Override
            public String kind() {
                return "down";
            }

            @Override
            public CompletionStage<List<List<StoredRow>>> read(List<ViewRead> reads) {
                return CompletableFuture.failedFuture(
                        QuiverException.unavailable("redis did not answer within 50 ms", Duration.ofSeconds(2), null));
            }

            @Override
            public int write(FeatureView view, List<FeatureRow> rows) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
            }
        };
        expect(QuiverException.Kind.UNAVAILABLE, null,
                () -> Stages.join(service(down, model(0.0), true).predict(byIds(1))));

        ModelDescriptor allDefaults = Descriptors.classifier().field(InputField.number("n0").withDefault(1.0))
                .field(InputField.number("n1").withDefault(0.0))
                .field(InputField.category("plan", List.of("basic", "pro", "team")).withDefault("basic")).build();
        registry = new ModelRegistry(new DirectoryModelStore(dir.resolve("models2")), new FakeEngine(), Clock.systemUTC());
        PredictResult r = Stages.join(service(down, allDefaults, true).predict(byIds(1, 2)));
        assertThat(r.predictions()).allSatisfy(row -> {
            assertThat(row.degraded()).isTrue();
            assertThat(row.probabilities()).containsEntry("yes", 0.5);
            assertThat(row.missing()).containsExactly("n0", "n1", "plan");
        });
    }

    /** The file store, answering a read only when the test completes the read it holds, once it {@link #hold}s. */
    private static final class LaterStore implements OnlineStore {
        private final OnlineStore inner;
        final List<Runnable> held = new java.util.ArrayList<>();

        LaterStore(OnlineStore inner) {
            this.inner = inner;
        }

        @Override
        public String kind() {
            return "later";
        }

        @Override
        public CompletionStage<List<List<StoredRow>>> read(List<ViewRead> reads) {
            CompletableFuture<List<List<StoredRow>>> later = new CompletableFuture<>();
            held.add(() -> {
                try {
                    later.complete(Stages.join(inner.read(reads)));
                } catch (RuntimeException e) {
                    later.completeExceptionally(e);
                }
            });
            return later;
        }

        @Override
        public int write(FeatureView view, List<FeatureRow> rows) {
            return inner.write(view, rows);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aPredictionIsScoredWhenTheReadCompletesOnTheThreadThatCompletesItAndAnswersAsAReadOnTheCallingThread()
            throws Exception {
        LaterStore later = new LaterStore(store);
        PredictionService s = service(later, model(0.0), false);
        CompletionStage<PredictResult> first = s.predict(byIds(1, 2, 3));
        later.held.remove(0).run();
        PredictResult onCaller = Stages.join(first);

        CompletableFuture<PredictResult> answer = s.predict(byIds(1, 2, 3)).toCompletableFuture();
        assertThat(answer).isNotDone();
        assertThat(later.held).hasSize(1);
        Thread completing = new Thread(later.held.get(0), "store-reply");
        Thread[] scoredOn = new Thread[1];
        CompletableFuture<PredictResult> observed = answer.whenComplete((r, e) -> scoredOn[0] = Thread.currentThread());
        completing.start();
        PredictResult r = observed.get(5, TimeUnit.SECONDS);
        assertThat(scoredOn[0]).isSameAs(completing);
        assertThat(r.predictions()).usingRecursiveComparison().isEqualTo(onCaller.predictions());

        // bad input fails the stage at once, without reading the store
        later.held.clear();
        CompletableFuture<PredictResult> bad = s.predict(byIds("one")).toCompletableFuture();
        assertThat(bad).isCompletedExceptionally();
        assertThat(later.held).isEmpty();
        expect(QuiverException.Kind.BAD_INPUT, "entities.user_id[0]", () -> Stages.join(bad));
    }

    @Test
    void badEntityRequestsNameTheProblem() {
        PredictionService s = service(store, model(0.0), false);
        expect(QuiverException.Kind.BAD_INPUT, "entities.customer_id",
                () -> Stages.join(s.predict(new PredictRequest("m", null, null, null, "r",
                        Map.of("customer_id", List.of(1))))));
        expect(QuiverException.Kind.BAD_INPUT, "entities.user_id[0]", () -> Stages.join(s.predict(byIds("one"))));
        expect(QuiverException.Kind.BAD_INPUT, "entities.user_id", () -> Stages.join(s.predict(byIds())));
        expect(QuiverException.Kind.TOO_LARGE, "entities",
                () -> Stages.join(s.predict(byIds(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11))));
        expect(QuiverException.Kind.BAD_INPUT, "rows", () -> Stages.join(s.predict(new PredictRequest("m", null, null,
                List.of(Map.of("n0", 1.0)), "r", Map.of("user_id", List.of(1))))));
        PredictionService rowsOnly = new PredictionService(registry, 10, PredictionObserver.NONE);
        expect(QuiverException.Kind.BAD_INPUT, "entities", () -> Stages.join(rowsOnly.predict(byIds(1))));
    }
}
