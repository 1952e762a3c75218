package dev.quiver.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.json.Json;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ProportionTestTest {

    @Test
    void equalsSciPyOnEveryGoldenCase() throws Exception {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/rollout/ab_golden.json")) {
            golden = Json.MAPPER.readTree(in);
        }
        assertThat(golden.path("cases")).hasSizeGreaterThanOrEqualTo(7);
        for (JsonNode c : golden.path("cases")) {
            ProportionTest t = ProportionTest.compare(c.path("n_a").asLong(), c.path("successes_a").asLong(),
                    c.path("n_b").asLong(), c.path("successes_b").asLong(), c.path("alpha").asDouble(), c.path("power").asDouble());
            String at = c.toString();
            assertThat(t.difference()).as(at).isCloseTo(c.path("difference").asDouble(), within(1e-12));
            assertThat(t.ciLow()).as(at).isCloseTo(c.path("ci_low").asDouble(), within(1e-9));
            assertThat(t.ciHigh()).as(at).isCloseTo(c.path("ci_high").asDouble(), within(1e-9));
            assertThat(t.z()).as(at).isCloseTo(c.path("z").asDouble(), within(1e-9));
            assertThat(t.pValue()).as(at).isCloseTo(c.path("p_value").asDouble(), within(1e-9));
            assertThat(t.minimumDetectableEffect()).as(at).isCloseTo(c.path("minimum_detectable_effect").asDouble(), within(1e-9));
            assertThat(t.significant()).as(at).isEqualTo(c.path("significant").asBoolean());
        }
    }

    /** One simulated A/B test: {@code n} outcomes per arm, drawn with the given success rates. */
    private static ProportionTest simulate(SplittableRandom rnd, int n, double rateA, double rateB) {
        long a = 0;
        long b = 0;
        for (int i = 0; i < n; i++) {
            a += rnd.nextDouble() < rateA ? 1 : 0;
            b += rnd.nextDouble() < rateB ? 1 : 0;
        }
        return ProportionTest.compare(n, a, n, b, 0.05, 0.8);
    }

    @Test
    void aKnownEffectAboveTheDetectableOneIsFoundWithAboutTheStatedPower() {
        SplittableRandom rnd = new SplittableRandom(7);
        int runs = 400;
        int found = 0;
        ProportionTest last = null;
        for (int i = 0; i < runs; i++) {
            last = simulate(rnd, 3000, 0.80, 0.83);
            if (last.significant() && last.difference() > 0) {
                found++;
            }
        }
        // 3 points at n = 3,000 per arm is above the minimum detectable effect (about 2.9 points at 80% power)
        assertThat(last.minimumDetectableEffect()).isBetween(0.025, 0.03);
        assertThat((double) found / runs).isGreaterThan(0.75);
    }

    @Test
    void withNoEffectAWinnerIsDeclaredAtMostAboutFivePercentOfTheTime() {
        SplittableRandom rnd = new SplittableRandom(42);
        int runs = 2000;
        int winners = 0;
        for (int i = 0; i < runs; i++) {
            if (simulate(rnd, 1000, 0.30, 0.30).significant()) {
                winners++;
            }
        }
        double rate = (double) winners / runs;
        // alpha = 5%; two standard errors of a rate over 2,000 runs is 1 point
        assertThat(rate).isLessThanOrEqualTo(0.05 + 2 * Math.sqrt(0.05 * 0.95 / runs));
        assertThat(rate).isGreaterThan(0.02);
    }

    @Test
    void refusesImpossibleCounts() {
        assertThatThrownBy(() -> ProportionTest.compare(0, 0, 10, 1, 0.05, 0.8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProportionTest.compare(10, 11, 10, 1, 0.05, 0.8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProportionTest.compare(10, 1, 10, 1, 1.5, 0.8)).isInstanceOf(IllegalArgumentException.class);
        ProportionTest same = ProportionTest.compare(10, 10, 10, 10, 0.05, 0.8);
        assertThat(same.pValue()).isEqualTo(1.0);
        assertThat(same.significant()).isFalse();
    }
}
