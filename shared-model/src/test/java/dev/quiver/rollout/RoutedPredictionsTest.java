package dev.quiver.rollout;

import dev.quiver.testing.SimClock;
import dev.quiver.team.CheckedChannel;
import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import dev.quiver.inference.InferenceEngine;
import dev.quiver.inference.LoadedModel;
import dev.quiver.prediction.PredictRequest;
import dev.quiver.prediction.PredictResult;
import dev.quiver.prediction.PredictionObserver;
import dev.quiver.prediction.PredictionService;
import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.tensor.Tensor;
import dev.quiver.tensor.TensorSpec;
import dev.quiver.testing.Artifacts;
import dev.quiver.testing.Descriptors;
import dev.quiver.testing.FakeEngine;
import dev.quiver.testing.Problems;
import dev.quiver.testing.Rows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Thousands of requests through {@link RoutedPredictions} with a real registry, prediction service, rollout store
 * and gates, where version 2 (the challenger) behaves as each test makes it: errors, slowness, divergent scores,
 * or as good as the champion. Latency runs on a simulated clock that each model advances by what it "took", so
 * the p99 gate sees the injected slowness exactly and nothing of this machine's noise.
 */
class RoutedPredictionsTest {

    /** How the challenger misbehaves; the champion always takes about 2 ms and never fails. */
    record Behaviour(double errorRate, double latencyMs, double scoreShift) {
    }

    static final Behaviour GOOD = new Behaviour(0, 2.0, 0);

    @TempDir
    Path root;
    private final SimClock clock = new SimClock();
    private final AtomicLong nanos = new AtomicLong();
    private final CheckedChannel alerts = new CheckedChannel();
    private final SplittableRandom rnd = new SplittableRandom(7);
    private Behaviour challenger = GOOD;
    private Behaviour champion = GOOD;
    private final java.util.concurrent.atomic.AtomicInteger challengerRuns = new java.util.concurrent.atomic.AtomicInteger();
    private ModelRegistry registry;
    private RoutedPredictions routed;

    /** Wraps the fake engine: version 2 misbehaves as {@link #challenger} says; every run advances the clock. */
    private final class Injecting implements InferenceEngine {
        private final FakeEngine fake = new FakeEngine();

        @Override
        public LoadedModel load(ModelDescriptor d, Path artifact) {
            LoadedModel m = fake.load(d, artifact);
            boolean isChallenger = "2".equals(d.version());
            return new LoadedModel() {
                @Override
                public ModelDescriptor descriptor() {
                    return m.descriptor();
                }

                @Override
                public List<TensorSpec> inputs() {
                    return m.inputs();
                }

                @Override
                public List<TensorSpec> outputs() {
                    return m.outputs();
                }

                @Override
                public List<Tensor> run(List<Tensor> in, List<String> names) {
                    Behaviour b = isChallenger ? challenger : champion;
                    if (isChallenger) {
                        challengerRuns.incrementAndGet();
                    }
                    double jitter;
                    double fail;
                    synchronized (rnd) {
                        jitter = Math.exp(0.2 * (rnd.nextDouble() - 0.5));
                        fail = rnd.nextDouble();
                    }
                    nanos.addAndGet((long) (b.latencyMs() * 1e6 * jitter));
                    if (fail < b.errorRate()) {
                        throw new IllegalStateException("injected failure");
                    }
                    List<Tensor> out;
                    synchronized (m) {  // the fake records its runs in a plain list
                        out = m.run(in, names);
                    }
                    if (b.scoreShift() == 0) {
                        return out;
                    }
                    List<Tensor> shifted = new ArrayList<>();
                    for (Tensor t : out) {
                        if (t.data() instanceof float[] p) {
                            float[] q = p.clone();
                            for (int r = 0; r < q.length / 2; r++) {
                                float yes = (float) Math.min(1, q[2 * r + 1] + b.scoreShift());
                                q[2 * r] = 1 - yes;
                                q[2 * r + 1] = yes;
                            }
                            shifted.add(Tensor.of(t.name(), q, t.shape()));
                        } else {
                            shifted.add(t);
                        }
                    }
                    return shifted;
                }

                @Override
                public void close() {
                    m.close();
                }
            };
        }
    }

    @BeforeEach
    void setUp() {
        registry = new ModelRegistry(new DirectoryModelStore(root.resolve("models")), new Injecting(), clock);
        registry.register("churn", Descriptors.numbers(1), Artifacts.model("v1"));
        registry.register("churn", Descriptors.numbers(1), Artifacts.model("v2"));
        registry.setAlias("churn", ModelRegistry.CHAMPION, "1");
        registry.setAlias("churn", "challenger", "2");
        routed = routed("i-1");
    }

    private RoutedPredictions routed(String instance) {
        Rollouts rollouts = new Rollouts(registry, new FileRolloutStore(root.resolve("rollouts")), Map.of(),
                alerts, clock, instance);
        return new RoutedPredictions(new PredictionService(registry, 1000, PredictionObserver.NONE), rollouts, 64,
                nanos::get);
    }

    @AfterEach
    void tearDown() {
        routed.close();
        registry.close();
    }

    /** A canary with 200 challenger requests and 10 minutes per step: 5% of traffic, so thousands of requests a step. */
    private static RolloutPolicy canary(RolloutPolicy.Strategy strategy) {
        return new RolloutPolicy(strategy, null, null, null, 200, Duration.ofMinutes(10), null, null);
    }

    private PredictRequest request(String key) {
        double x;
        synchronized (rnd) {
            x = rnd.nextDouble() * 2;
        }
        return new PredictRequest("churn", null, null, Rows.n0(x), null, null, key);
    }

    /** Sends requests, one every 50 ms of simulated time, ticking every 100, until the rollout ends or {@code max}. */
    private int drive(int max) {
        int sent = 0;
        while (sent < max && routed.rollouts().routing("churn") != null) {
            clock.now = clock.now.plusMillis(50);
            PredictResult r = Stages.join(routed.predict(request("customer-" + sent)));
            assertThat(r.predictions()).allSatisfy(row -> assertThat(row.error()).isNull());
            sent++;
            if (sent % 100 == 0) {
                routed.rollouts().tick();
            }
        }
        return sent;
    }

    private String lastWhy() {
        List<RolloutEvent> e = routed.rollouts().view("churn").rollout().events();
        return e.get(e.size() - 1).why();
    }

    /**
     * Routing by entity id, over an embedded online store holding feature {@code n0} for users 0 to 199: the
     * service reads each row's features by id, as predict does.
     */
    private RoutedPredictions routedByEntity() {
        dev.quiver.feature.Entity user = new dev.quiver.feature.Entity("user", "user_id",
                dev.quiver.feature.ValueType.INT64, null);
        dev.quiver.feature.FeatureView view = new dev.quiver.feature.FeatureView("user_stats", List.of(user),
                List.of(new dev.quiver.feature.Feature("n0", dev.quiver.feature.ValueType.DOUBLE)), Duration.ZERO,
                null, null);
        dev.quiver.feature.FeatureDefinitions defs = new dev.quiver.feature.FeatureDefinitions("p", List.of(user),
                List.of(view), Map.of("scoring", List.of(new dev.quiver.feature.FeatureRef("user_stats", "n0"))));
        dev.quiver.feature.FileOnlineStore store = new dev.quiver.feature.FileOnlineStore(root.resolve("features"),
                defs);
        List<dev.quiver.feature.FeatureRow> rows = new ArrayList<>();
        for (long id = 0; id < 200; id++) {
            rows.add(new dev.quiver.feature.FeatureRow(dev.quiver.feature.EntityKey.of("user_id", id),
                    java.time.Instant.EPOCH, Map.of("n0", id / 100.0)));
        }
        store.write(view, rows);
        dev.quiver.feature.OnlineFeatures features = new dev.quiver.feature.OnlineFeatures(defs, store,
                java.time.Clock.systemUTC(), 1000, dev.quiver.feature.FetchObserver.NONE);
        Rollouts rollouts = new Rollouts(registry, new FileRolloutStore(root.resolve("rollouts")), Map.of(),
                alerts, clock, "i-1");
        return new RoutedPredictions(new PredictionService(registry, 1000, PredictionObserver.NONE,
                new dev.quiver.prediction.EntityFeatures(features, Map.of("churn", "scoring"), false)), rollouts, 64,
                nanos::get);
    }

    private static PredictRequest users(int n) {
        List<Object> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add((long) i);
        }
        return new PredictRequest("churn", null, null, null, null, Map.of("user_id", ids));
    }

    @Test
    void anEntityBatchThatStraddlesBothArmsIsAnsweredByBothInOrderAndAFailedChampionNeverRunsTheChallenger() {
        try (RoutedPredictions byEntity = routedByEntity()) {
            byEntity.rollouts().start("churn", canary(RolloutPolicy.Strategy.CANARY), "test");
            PredictResult r = Stages.join(byEntity.predict(users(200)));
            assertThat(r.rollout()).isNotNull();
            assertThat(r.predictions()).hasSize(200);
            for (int i = 0; i < 200; i++) {
                assertThat(r.predictions().get(i).entity()).containsEntry("user_id", (long) i);
                assertThat(r.predictions().get(i).label()).isNotNull();
            }
            // the first step sends about 5% of entities to the challenger: both arms answer part of this batch
            assertThat(r.predictions()).extracting(PredictResult.Row::version).contains("1", "2");
            assertThat(r.version()).isNull();

            champion = new Behaviour(1.0, 2.0, 0);
            int before = challengerRuns.get();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Stages.join(byEntity.predict(users(200))))
                    .hasMessageContaining("injected failure");
            assertThat(challengerRuns.get()).as("challenger runs after a failed champion arm").isEqualTo(before);
            champion = GOOD;
        }
    }

    @Test
    void aGoodChallengerAdvancesEveryStepAndBecomesChampion() {
        routed.rollouts().start("churn", canary(RolloutPolicy.Strategy.CANARY), "test");
        int sent = drive(100_000);
        Rollout.State s = routed.rollouts().view("churn").rollout();
        assertThat(s.status()).isEqualTo(Rollout.Status.PROMOTED);
        assertThat(s.events()).extracting(RolloutEvent::to)
                .anyMatch(t -> t.contains("weight 25.0%")).anyMatch(t -> t.contains("weight 50.0%"))
                .anyMatch(t -> t.contains("weight 100.0%"));
        assertThat(registry.aliases("churn")).containsEntry("champion", "2");
        assertThat(Stages.join(routed.predict(request("anyone"))).version()).isEqualTo("2");
        assertThat(sent).isGreaterThan(4000);
        assertThat(alerts.alerts()).isEmpty();
    }

    @Test
    void aChallengerThatFailsIsRolledBackAtTheFirstStepAndCallersNeverSeeItsErrors() {
        challenger = new Behaviour(0.05, 2.0, 0);
        routed.rollouts().start("churn", canary(RolloutPolicy.Strategy.CANARY), "test");
        int sent = drive(100_000);
        Rollouts.View v = routed.rollouts().view("churn");
        assertThat(v.rollout().status()).isEqualTo(Rollout.Status.ROLLED_BACK);
        assertThat(v.rollout().step()).isZero();
        assertThat(lastWhy()).startsWith("error rate 0.0").contains("above the allowed +0.0100");
        // the first step lasts 10 simulated minutes, 12,000 requests at one every 50 ms; the gates act at the next tick
        assertThat(sent).as("caught at the end of the first step").isBetween(12_000, 12_100);
        assertThat(alerts.alerts()).singleElement().satisfies(a -> {
            assertThat(a.header().recipient()).isEqualTo("project_manager_id");
            assertThat(a.issue().modelId()).isEqualTo("churn");
            assertThat(a.issue().details().get("version").asText()).isEqualTo("2");
            assertThat(a.issue().action()).isEqualTo("Rolled back churn version 2: traffic is back on version 1");
        });
        assertThat(Stages.join(routed.predict(request("anyone"))).version()).isEqualTo("1");
        assertThat(registry.aliases("churn")).containsEntry("champion", "1");
    }

    @Test
    void aSlowChallengerIsRolledBackAtTheFirstStep() {
        challenger = new Behaviour(0, 6.0, 0);
        routed.rollouts().start("churn", canary(RolloutPolicy.Strategy.CANARY), "test");
        drive(100_000);
        assertThat(routed.rollouts().view("churn").rollout().step()).isZero();
        assertThat(lastWhy()).startsWith("p99 latency").contains("above the allowed 1.50x");
    }

    @Test
    void aChallengerWhoseScoresDivergeIsRolledBackAtTheFirstStep() {
        challenger = new Behaviour(0, 2.0, 0.3);
        routed.rollouts().start("churn", canary(RolloutPolicy.Strategy.CANARY), "test");
        drive(100_000);
        assertThat(routed.rollouts().view("churn").rollout().step()).isZero();
        assertThat(lastWhy()).startsWith("mean score").contains("above the allowed 0.1000");
    }

    @Test
    void theSameKeyAlwaysReachesTheSameVersionAndAPinnedRequestBypassesTheRollout() {
        routed.rollouts().start("churn", new RolloutPolicy(RolloutPolicy.Strategy.CANARY, null, null,
                List.of(50, 100), 1_000_000, Duration.ofDays(1), null, null), "test");
        Map<String, String> first = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 200; k++) {
                PredictResult r = Stages.join(routed.predict(request("user-" + k)));
                assertThat(r.rollout()).startsWith("churn/2-");
                String before = first.putIfAbsent("user-" + k, r.version());
                assertThat(before == null || before.equals(r.version())).isTrue();
            }
        }
        assertThat(first.values()).contains("1", "2");
        // another instance over the same store places every key the same way
        RoutedPredictions other = routed("i-2");
        first.forEach((k, v) -> assertThat(Stages.join(other.predict(request(k))).version()).isEqualTo(v));
        other.close();
        PredictResult pinned = Stages.join(routed.predict(new PredictRequest("churn", "1", null, Rows.n0(1), null)));
        assertThat(pinned.version()).isEqualTo("1");
        assertThat(pinned.rollout()).isNull();
    }

    @Test
    void requestsThatArriveTogetherAreRoutedOneByOneUnderARolloutAndScoredTogetherOtherwise() {
        List<PredictRequest> pinned = List.of(new PredictRequest("churn", "1", null, Rows.n0(1), "p1"),
                new PredictRequest("churn", "1", null, Rows.n0(0.5), "p2"));
        List<PredictResult> before = routed.predictAll(pinned).stream().map(Stages::join).toList();
        assertThat(before).extracting(PredictResult::requestId).containsExactly("p1", "p2");

        routed.rollouts().start("churn", new RolloutPolicy(RolloutPolicy.Strategy.CANARY, null, null,
                List.of(50, 100), 1_000_000, Duration.ofDays(1), null, null), "test");
        List<PredictRequest> mixed = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            mixed.add(request("user-" + k));
        }
        mixed.add(pinned.get(0));
        List<PredictResult> answers = routed.predictAll(mixed).stream().map(Stages::join).toList();

        for (int k = 0; k < 40; k++) {
            PredictResult r = answers.get(k);
            assertThat(r.rollout()).startsWith("churn/2-");
            assertThat(r.version()).as("the key's own route").isEqualTo(Stages.join(routed.predict(request("user-" + k))).version());
        }
        assertThat(answers.stream().limit(40).map(PredictResult::version)).contains("1", "2");
        assertThat(answers.get(40).rollout()).isNull();
        assertThat(answers.get(40).version()).isEqualTo("1");

        List<Integer> startedAlone = new ArrayList<>();
        routed.predictAll(List.of(pinned.get(0), request("user-1"), pinned.get(1), request("user-2")), (i, start) -> {
            startedAlone.add(i);
            return start.get();
        }).forEach(Stages::join);
        assertThat(startedAlone).as("the routed requests, in their own places").containsExactly(1, 3);
    }

    @Test
    void manualControlIsSharedByInstancesAndSurvivesARestart() {
        routed.rollouts().start("churn", canary(RolloutPolicy.Strategy.CANARY), "alice");
        RoutedPredictions other = routed("i-2");
        Problems.expect(QuiverException.Kind.CONFLICT, "model",
                () -> other.rollouts().start("churn", canary(RolloutPolicy.Strategy.CANARY), "bob"));
        other.rollouts().pause("churn", "bob", "holding over the weekend");
        assertThat(routed.rollouts().view("churn").rollout().status()).isEqualTo(Rollout.Status.PAUSED);
        Problems.expect(QuiverException.Kind.CONFLICT, "status",
                () -> routed.rollouts().pause("churn", "alice", "again"));
        routed.rollouts().resume("churn", "alice", "back");
        for (int i = 0; i < 300; i++) {
            Stages.join(routed.predict(request("k" + i)));
        }
        routed.rollouts().tick();
        other.close();

        RoutedPredictions restarted = routed("i-3");
        Rollouts.View v = restarted.rollouts().view("churn");
        assertThat(v.rollout().status()).isEqualTo(Rollout.Status.RUNNING);
        assertThat(v.rollout().events()).extracting(RolloutEvent::by).containsExactly("alice", "bob", "alice");
        assertThat(v.champion().requests() + v.challenger().requests()).as("counters survived").isEqualTo(300);
        assertThat(alerts.alerts()).isEmpty();
        restarted.rollouts().rollBack("churn", "carol", "not this quarter");
        assertThat(restarted.rollouts().view("churn").rollout().status()).isEqualTo(Rollout.Status.ROLLED_BACK);
        // a rollback by hand is an incident the project manager hears of too
        assertThat(alerts.alerts()).singleElement().satisfies(a -> {
            assertThat(a.issue().severity()).isEqualTo(dev.quiver.agent.Severity.MEDIUM);
            assertThat(a.issue().issue()).contains("rolled back at step 1 by carol: not this quarter");
            assertThat(a.issue().action()).isEqualTo("Rolled back churn version 2: traffic is back on version 1");
            assertThat(a.header().correlationId()).isNotBlank();
        });
        assertThatThrownBy(() -> restarted.rollouts().rollBack("churn", "carol", "again"))
                .isInstanceOf(dev.quiver.error.QuiverException.class);
        assertThat(alerts.alerts()).as("a refused rollback tells nobody").hasSize(1);
        restarted.close();
    }

    @Test
    void aShadowChallengerNeverAnswersButItsAgreementIsRecorded() {
        challenger = new Behaviour(0, 2.0, 0.3);
        routed.rollouts().start("churn", RolloutPolicy.of(RolloutPolicy.Strategy.SHADOW), "test");
        for (int i = 0; i < 200; i++) {
            PredictResult r = Stages.join(routed.predict(request("k" + i)));
            assertThat(r.version()).isEqualTo("1");
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                routed.rollouts().view("churn").shadow().rows() + routed.shadowDropped() == 200);
        Rollouts.Agreement a = routed.rollouts().view("churn").shadow();
        assertThat(a.rows()).isPositive();
        assertThat(a.meanAbsProbabilityDiff()).isBetween(0.2, 0.31);
        assertThat(a.labelAgreement()).isLessThan(1.0);
    }

    @Test
    void anAbTestTakesOutcomesByRequestIdAndRowAndReportsPerArm() {
        routed.rollouts().start("churn", new RolloutPolicy(RolloutPolicy.Strategy.AB, null, null, null, 0, null, null,
                new RolloutPolicy.AbDesign(50, Duration.ofDays(7), "conversion", 0.05, 0.8)), "test");
        for (int i = 0; i < 400; i++) {
            PredictResult r = Stages.join(routed.predict(new PredictRequest("churn", null, null, Rows.n0(0.5, 1.5), "req-" + i,
                    null, "user-" + i)));
            boolean onChallenger = "2".equals(r.version());
            routed.rollouts().feedback("churn", "req-" + i, 0, onChallenger || i % 2 == 0);
            routed.rollouts().feedback("churn", "req-" + i, 1, onChallenger || i % 2 == 0);
        }
        Problems.expect(QuiverException.Kind.NOT_FOUND, "request_id",
                () -> routed.rollouts().feedback("churn", "req-0", 0, true));
        clock.now = clock.now.plus(Duration.ofDays(8));
        AbExperiment.Report report = routed.rollouts().view("churn").ab();
        assertThat(report.championSamples() + report.challengerSamples()).isEqualTo(800);
        assertThat(report.challengerMetric()).isEqualTo(1.0);
        assertThat(report.championMetric()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.05));
        assertThat(report.winner()).isEqualTo("2");
    }

    @Test
    void blueGreenSwitchesAtOnceBothWaysAndLosesNoRequestInFlight() throws Exception {
        routed.rollouts().start("churn", new RolloutPolicy(RolloutPolicy.Strategy.BLUE_GREEN, null, null, null,
                1_000_000, Duration.ofDays(1), null, null), "test");
        assertThat(Stages.join(routed.predict(request("a"))).version()).isEqualTo("2");
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        PredictResult r = Stages.join(routed.predict(request(null)));
                        if (r.predictions().get(0).label() == null) {
                            failures.incrementAndGet();
                        }
                        answered.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }
            });
            th.start();
            callers.add(th);
        }
        Thread.sleep(200);
        routed.rollouts().rollBack("churn", "test", "switch back");
        // the very next request after the switch goes to the champion
        assertThat(Stages.join(routed.predict(request("a"))).version()).isEqualTo("1");
        Thread.sleep(200);
        stop.set(true);
        for (Thread th : callers) {
            th.join();
        }
        assertThat(answered.get()).isGreaterThan(100);
        assertThat(failures.get()).isZero();
    }
}
