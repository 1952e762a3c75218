package dev.quiver.rollout;

import dev.quiver.testing.SimClock;
import dev.quiver.error.QuiverException;
import dev.quiver.testing.Problems;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** A/B tests on synthetic outcomes arriving by request id after the answers. */
class AbExperimentTest {

    private static final RolloutPolicy AB = new RolloutPolicy(RolloutPolicy.Strategy.AB, null, null, null, 0, null, null,
            new RolloutPolicy.AbDesign(50, Duration.ofDays(7), "accuracy", 0.05, 0.8));

    /** Answers {@code n} requests, each version right with its own probability, then sends every outcome. */
    private static AbExperiment run(long seed, int n, double championAccuracy, double challengerAccuracy,
                                    SimClock clock) {
        AbExperiment e = new AbExperiment("churn/ab", AB, "1", "2", clock, 1_000_000);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            Rollout.Route route = e.route("customer-" + i);
            String truth = rnd.nextBoolean() ? "yes" : "no";
            boolean right = rnd.nextDouble() < (route.challenger() ? challengerAccuracy : championAccuracy);
            String predicted = right ? truth : (truth.equals("yes") ? "no" : "yes");
            e.answered("req-" + i, route, predicted);
            clock.now = clock.now.plusSeconds(60);
            e.feedback("req-" + i, truth);
        }
        return e;
    }

    @Test
    void aRealEffectIsDeclaredAfterTheHorizonAndNotBefore() {
        SimClock clock = new SimClock();
        // 4 points, well above the minimum detectable effect of 4,000 per arm (about 2.2 points at 80% power)
        AbExperiment e = run(11, 8000, 0.85, 0.89, clock);
        AbExperiment.Report before = e.report();
        assertThat(before.horizonReached()).isFalse();
        assertThat(before.winner()).isNull();
        assertThat(before.pValue()).isLessThan(0.05);
        clock.now = clock.now.plus(Duration.ofDays(7));
        AbExperiment.Report after = e.report();
        assertThat(after.winner()).isEqualTo("2");
        assertThat(after.difference()).isPositive();
        assertThat(after.ciLow()).isPositive();
        assertThat(after.championSamples() + after.challengerSamples()).isEqualTo(8000);
        assertThat(after.minimumDetectableEffect()).isBetween(0.01, 0.03);
    }

    @Test
    void withNoEffectAWinnerIsRarelyDeclared() {
        int runs = 200;
        int winners = 0;
        for (int s = 0; s < runs; s++) {
            SimClock clock = new SimClock();
            AbExperiment e = run(1000 + s, 2000, 0.85, 0.85, clock);
            clock.now = clock.now.plus(Duration.ofDays(8));
            if (e.report().winner() != null) {
                winners++;
            }
        }
        // alpha 5%: over 200 seeded experiments, at most 5% plus two standard errors (3.1 points)
        assertThat((double) winners / runs).isLessThanOrEqualTo(0.05 + 2 * Math.sqrt(0.05 * 0.95 / runs));
    }

    @Test
    void feedbackForAnUnknownOrRepeatedRequestIsNotFoundAndAWrongOutcomeIsBadInput() {
        SimClock clock = new SimClock();
        AbExperiment e = new AbExperiment("churn/ab", AB, "1", "2", clock, 2);
        Rollout.Route r = e.route("k");
        e.answered("a", r, "yes");
        e.answered("b", r, "no");
        e.answered("c", r, "no");
        Problems.expect(QuiverException.Kind.NOT_FOUND, "request_id", () -> e.feedback("a", "yes")); // pushed out
        Problems.expect(QuiverException.Kind.BAD_INPUT, "outcome", () -> e.feedback("b", true));
        e.feedback("b", "no");  // the refused outcome changed nothing: b still awaited its outcome
        Problems.expect(QuiverException.Kind.NOT_FOUND, "request_id", () -> e.feedback("b", "no"));
        e.feedback("c", "no");
        Problems.expect(QuiverException.Kind.NOT_FOUND, "request_id", () -> e.feedback("c", "no"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "rollout.strategy",
                () -> new AbExperiment("x", RolloutPolicy.of(RolloutPolicy.Strategy.CANARY), "1", "2", clock, 10));
    }
}
