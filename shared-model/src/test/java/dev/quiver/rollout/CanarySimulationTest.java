package dev.quiver.rollout;

import dev.quiver.testing.SimClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of simulated requests through a canary (5% → 25% → 50% → 100%, 1,000 challenger requests and 10
 * minutes per step): a challenger that is worse in one way is rolled back at the first step, naming what was
 * measured; a challenger as good as the champion is promoted.
 */
class CanarySimulationTest {

    /** How an arm behaves: error probability, median latency, and the mean of its positive-class score. */
    record Behaviour(double errorRate, double medianLatencyMs, double meanScore) {
    }

    static final Behaviour CHAMPION = new Behaviour(0.005, 2.0, 0.30);

    /** Sends requests (one every 50 ms of simulated time) until the rollout ends or {@code max} requests. */
    private static Rollout run(Behaviour challenger, long seed, int max) {
        SimClock clock = new SimClock();
        Rollout r = new Rollout("churn/sim", RolloutPolicy.of(RolloutPolicy.Strategy.CANARY), "1", "2", clock);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < max && r.status() == Rollout.Status.RUNNING; i++) {
            clock.now = clock.now.plusMillis(50);
            Rollout.Route route = r.route("customer-" + rnd.nextInt(1_000_000));
            Behaviour b = route.challenger() ? challenger : CHAMPION;
            boolean error = rnd.nextDouble() < b.errorRate();
            long latency = (long) (b.medianLatencyMs() * 1e6 * Math.exp(0.3 * gaussian(rnd)));
            double score = Math.min(1, Math.max(0, b.meanScore() + 0.1 * gaussian(rnd)));
            r.record(route.challenger(), latency, error, score);
            if (i % 100 == 0) {
                r.evaluate();
            }
        }
        return r;
    }

    private static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    @Test
    void aChallengerWithMoreErrorsIsRolledBackAtTheFirstStep() {
        Rollout r = run(new Behaviour(0.05, 2.0, 0.30), 1, 200_000);
        assertThat(r.status()).isEqualTo(Rollout.Status.ROLLED_BACK);
        assertThat(r.step()).isZero();
        assertThat(r.weightBasisPoints()).isZero();
        assertThat(r.route("anyone").version()).isEqualTo("1");
        assertThat(r.events().get(r.events().size() - 1).why()).startsWith("error rate 0.0").contains("above the allowed +0.0100");
    }

    @Test
    void aRollbackByAGateEmitsOneModelIssueAlertNamingTheMeasurement() throws Exception {
        dev.quiver.team.CheckedChannel alerts = new dev.quiver.team.CheckedChannel();
        SimClock clock = new SimClock();
        Rollout r = new Rollout("churn/r9", RolloutPolicy.of(RolloutPolicy.Strategy.CANARY), "1", "2", clock);
        r.alertTo(alerts);
        for (int i = 0; i < 1200; i++) {
            r.record(true, 2_000_000, i % 10 == 0, 0.3);
            r.record(false, 2_000_000, false, 0.3);
        }
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        r.evaluate();
        r.evaluate();
        assertThat(alerts.alerts()).hasSize(1);
        dev.quiver.agent.IssueAlert a = alerts.alerts().get(0);
        assertThat(a.header().recipient()).isEqualTo(dev.quiver.team.TeamAddress.DEFAULT.projectManager());
        assertThat(a.header().messageId()).isNotBlank();
        assertThat(a.header().correlationId()).isNotBlank().isNotEqualTo(a.header().messageId());
        assertThat(a.issue().severity()).isEqualTo(dev.quiver.agent.Severity.HIGH);
        assertThat(a.issue().modelId()).isEqualTo("churn");
        assertThat(a.issue().action()).isEqualTo("Rolled back churn version 2: traffic is back on version 1");
        assertThat(a.issue().issue()).startsWith("canary of version 2 rolled back at step 1: error rate 0.1000");
        assertThat(a.issue().details().get("version").asText()).isEqualTo("2");
        assertThat(a.issue().details().get("champion_version").asText()).isEqualTo("1");
        assertThat(a.issue().details().get("rollout").asText()).isEqualTo("churn/r9");
        String json = dev.quiver.agent.Messages.toJson(a);
        assertThat(json).startsWith("{\"action\":\"model_issue_alert\",\"recipient\":\"project_manager_id\"")
                .contains("\"model_id\":\"churn\"").contains("\"detected_at\":\"2026-11-28T00:10:00Z\"")
                .contains("\"sent_at\":\"2026-11-28T00:10:00Z\"");
    }

    @Test
    void aSlowChallengerIsRolledBackAtTheFirstStep() {
        Rollout r = run(new Behaviour(0.005, 6.0, 0.30), 2, 200_000);
        assertThat(r.status()).isEqualTo(Rollout.Status.ROLLED_BACK);
        assertThat(r.step()).isZero();
        assertThat(r.events().get(r.events().size() - 1).why()).startsWith("p99 latency").contains("above the allowed 1.50x");
    }

    @Test
    void aChallengerWhoseScoresDivergeIsRolledBackAtTheFirstStep() {
        Rollout r = run(new Behaviour(0.005, 2.0, 0.55), 3, 200_000);
        assertThat(r.status()).isEqualTo(Rollout.Status.ROLLED_BACK);
        assertThat(r.step()).isZero();
        assertThat(r.events().get(r.events().size() - 1).why()).startsWith("mean score").contains("above the allowed 0.1000");
    }

    @Test
    void aGoodChallengerAdvancesThroughEveryStepAndIsPromoted() {
        Rollout r = run(new Behaviour(0.005, 2.0, 0.31), 4, 400_000);
        assertThat(r.status()).isEqualTo(Rollout.Status.PROMOTED);
        assertThat(r.step()).isEqualTo(3);
        assertThat(r.weightBasisPoints()).isEqualTo(10_000);
        assertThat(r.events()).extracting(RolloutEvent::to).anyMatch(s -> s.contains("weight 25.0%"))
                .anyMatch(s -> s.contains("weight 50.0%")).anyMatch(s -> s.startsWith("promoted"));
    }

    @Test
    void aStepWaitsForItsMinimumTrafficAndTime() {
        SimClock clock = new SimClock();
        Rollout r = new Rollout("churn/sim", RolloutPolicy.of(RolloutPolicy.Strategy.CANARY), "1", "2", clock);
        for (int i = 0; i < 2000; i++) {
            r.record(true, 1_000_000, false, 0.3);
            r.record(false, 1_000_000, false, 0.3);
        }
        assertThat(r.evaluate()).isFalse();
        assertThat(r.step()).as("enough traffic, not yet 10 minutes").isZero();
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        r.evaluate();
        assertThat(r.step()).isEqualTo(1);
    }

    @Test
    void aLatencyRatioOfAFewTenthsOfAMillisecondIsNotABreach() {
        SimClock clock = new SimClock();
        Rollout r = new Rollout("churn/sim", RolloutPolicy.of(RolloutPolicy.Strategy.CANARY), "1", "2", clock);
        for (int i = 0; i < 1000; i++) {
            r.record(true, 1_800_000, false, 0.3);   // 1.8 ms: 1.8 times the champion's, but only 0.8 ms more
            r.record(false, 1_000_000, false, 0.3);
        }
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        assertThat(r.evaluate()).isTrue();
        assertThat(r.status()).isEqualTo(Rollout.Status.RUNNING);
        assertThat(r.step()).isEqualTo(1);
        for (int i = 0; i < 1000; i++) {
            r.record(true, 3_100_000, false, 0.3);   // 3.1 ms: 3.1 times and 2.1 ms more
            r.record(false, 1_000_000, false, 0.3);
        }
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        r.evaluate();
        assertThat(r.status()).isEqualTo(Rollout.Status.ROLLED_BACK);
        assertThat(r.events().get(r.events().size() - 1).why()).contains("2.100 ms more, above the 2.000 ms that counts");
    }

    @Test
    void aChallengerWithTheSameMeanScoreButAnotherDistributionIsRolledBackForPredictionDrift() {
        SimClock clock = new SimClock();
        Rollout r = new Rollout("churn/sim", RolloutPolicy.of(RolloutPolicy.Strategy.CANARY), "1", "2", clock);
        SplittableRandom rnd = new SplittableRandom(9);
        for (int i = 0; i < 1500; i++) {
            // the champion's scores spread around 0.30; the challenger's split between 0.05 and 0.55: same mean
            r.record(false, 2_000_000, false, 0.2 + 0.2 * rnd.nextDouble());
            r.record(true, 2_000_000, false, (i % 2 == 0 ? 0.0 : 0.5) + 0.1 * rnd.nextDouble());
        }
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        r.evaluate();
        assertThat(r.status()).isEqualTo(Rollout.Status.ROLLED_BACK);
        assertThat(r.events().get(r.events().size() - 1).why()).startsWith("prediction drift: the Jensen-Shannon distance");
    }

    @Test
    void thePredictionDriftGateWaitsForEnoughScoresOnBothArms() {
        SimClock clock = new SimClock();
        RolloutPolicy p = new RolloutPolicy(RolloutPolicy.Strategy.CANARY, null, null, null, 100, Duration.ZERO, null, null);
        Rollout r = new Rollout("churn/sim", p, "1", "2", clock);
        SplittableRandom rnd = new SplittableRandom(10);
        for (int i = 0; i < 500; i++) {
            r.record(false, 2_000_000, false, 0.2 + 0.2 * rnd.nextDouble());
            r.record(true, 2_000_000, false, (i % 2 == 0 ? 0.0 : 0.5) + 0.1 * rnd.nextDouble());
        }
        r.evaluate();
        assertThat(r.status()).as("500 scores each: below the 1,000 the gate needs").isEqualTo(Rollout.Status.RUNNING);
        assertThat(r.step()).isEqualTo(1);
    }
}
