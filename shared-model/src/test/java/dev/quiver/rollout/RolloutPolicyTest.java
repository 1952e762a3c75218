package dev.quiver.rollout;

import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;
import dev.quiver.testing.Problems;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RolloutPolicyTest {

    @Test
    void defaultsAreNamedAndFollowTheStrategy() {
        RolloutPolicy canary = RolloutPolicy.of(RolloutPolicy.Strategy.CANARY);
        assertThat(canary.steps()).containsExactly(5, 25, 50, 100);
        assertThat(canary.champion()).isEqualTo("champion");
        assertThat(canary.challenger()).isEqualTo("challenger");
        assertThat(canary.minRequests()).isEqualTo(1000);
        assertThat(canary.minDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(canary.gates()).isEqualTo(RolloutPolicy.Gates.DEFAULT);
        assertThat(canary.ab()).isNull();
        assertThat(canary.weightAt(0)).isEqualTo(500);
        assertThat(RolloutPolicy.of(RolloutPolicy.Strategy.BLUE_GREEN).steps()).containsExactly(100);
        RolloutPolicy ab = RolloutPolicy.of(RolloutPolicy.Strategy.AB);
        assertThat(ab.ab()).isEqualTo(RolloutPolicy.AbDesign.DEFAULT);
        assertThat(ab.steps()).containsExactly(50);
    }

    @Test
    void readsFromYamlAsTheCatalogWritesIt() throws Exception {
        RolloutPolicy p = Json.YAML.readValue("""
                strategy: canary
                steps: [10, 50, 100]
                min_requests: 500
                min_duration: PT5M
                gates: {max_error_rate_increase: 0.02, max_p99_latency_ratio: 2.0, max_score_divergence: 0.05}
                """, RolloutPolicy.class);
        assertThat(p.steps()).containsExactly(10, 50, 100);
        assertThat(p.minRequests()).isEqualTo(500);
        assertThat(p.minDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.gates().maxP99LatencyRatio()).isEqualTo(2.0);
        assertThat(Json.YAML.readValue("strategy: blue-green", RolloutPolicy.class).strategy())
                .isEqualTo(RolloutPolicy.Strategy.BLUE_GREEN);
    }

    @Test
    void badPoliciesNameTheField() {
        Problems.expect(QuiverException.Kind.BAD_INPUT, "rollout.steps[1]", () -> new RolloutPolicy(RolloutPolicy.Strategy.CANARY,
                null, null, List.of(50, 25, 100), 0, null, null, null));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "rollout.steps", () -> new RolloutPolicy(RolloutPolicy.Strategy.CANARY,
                null, null, List.of(5, 25), 0, null, null, null));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "rollout.steps", () -> new RolloutPolicy(RolloutPolicy.Strategy.BLUE_GREEN,
                null, null, List.of(50, 100), 0, null, null, null));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "rollout.challenger", () -> new RolloutPolicy(RolloutPolicy.Strategy.CANARY,
                "champion", "champion", null, 0, null, null, null));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "rollout.gates.max_p99_latency_ratio",
                () -> new RolloutPolicy.Gates(0.01, 0.5, 0.1, null));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "rollout.ab.challenger_percent",
                () -> new RolloutPolicy.AbDesign(100, Duration.ofDays(1), "accuracy", 0.05, 0.8));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "rollout.ab.metric",
                () -> new RolloutPolicy.AbDesign(50, Duration.ofDays(1), "revenue", 0.05, 0.8));
    }
}
