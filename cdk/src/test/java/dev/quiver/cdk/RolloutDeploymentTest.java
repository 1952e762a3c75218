package dev.quiver.cdk;

import dev.quiver.registry.Catalog;
import dev.quiver.rollout.RolloutPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RolloutDeploymentTest {

    static RolloutPolicy canary(List<Integer> steps, Duration minDuration) {
        return new RolloutPolicy(RolloutPolicy.Strategy.CANARY, null, null, steps, 0, minDuration, null, null);
    }

    static Stream<List<Integer>> equalSteps() {
        return Stream.of(List.of(25, 50, 75, 100), List.of(10, 20, 30, 40, 50, 60, 70, 80, 90, 100),
                List.of(20, 40, 60, 80, 100), List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                        20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43,
                        44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67,
                        68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91,
                        92, 93, 94, 95, 96, 97, 98, 99, 100));
    }

    @ParameterizedTest
    @MethodSource("equalSteps")
    void equalStepsShiftLinearlyOneStepPerMinDuration(List<Integer> steps) {
        RolloutPolicy policy = canary(steps, Duration.ofMinutes(10));
        RolloutDeployment d = RolloutDeployment.of(policy, "");
        assertThat(d.kind()).isEqualTo(RolloutDeployment.Kind.LINEAR);
        assertThat(d.minutes()).isEqualTo(10);
        // step for step: after i + 1 intervals CodeDeploy has shifted what the policy's step i gives
        IntStream.range(0, steps.size()).forEach(i ->
                assertThat(d.percent() * (i + 1)).as("step %d", i).isEqualTo(steps.get(i)));
    }

    @ParameterizedTest
    @MethodSource("twoSteps")
    void twoStepsEndingAt100AreACanary(List<Integer> steps) {
        RolloutDeployment d = RolloutDeployment.of(canary(steps, Duration.ofMinutes(5)), "");
        assertThat(d.kind()).isEqualTo(RolloutDeployment.Kind.CANARY);
        assertThat(d.percent()).isEqualTo(steps.get(0));
        assertThat(d.minutes()).isEqualTo(5);
    }

    static Stream<List<Integer>> twoSteps() {
        return Stream.of(List.of(10, 100), List.of(1, 100), List.of(99, 100), List.of(50, 100));
    }

    @Test
    void blueGreenSwitchesAllAtOnce() {
        RolloutDeployment d = RolloutDeployment.of(RolloutPolicy.of(RolloutPolicy.Strategy.BLUE_GREEN), "");
        assertThat(d.kind()).isEqualTo(RolloutDeployment.Kind.ALL_AT_ONCE);
    }

    static Stream<List<Integer>> unexpressible() {
        return Stream.of(List.of(5, 25, 50, 100), List.of(30, 60, 100), List.of(40, 80, 100), List.of(10, 20, 100),
                List.of(25, 50, 100));
    }

    @ParameterizedTest
    @MethodSource("unexpressible")
    void stepsNeitherCanaryNorLinearFailNamingRolloutSteps(List<Integer> steps) {
        assertThatThrownBy(() -> RolloutDeployment.of(canary(steps, Duration.ofMinutes(10)), "models.yaml: models[0]."))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("models.yaml: models[0].rollout.steps: " + steps)
                .hasMessageContaining("cannot be rendered as a CodeDeploy deployment")
                .hasMessageContaining("canary").hasMessageContaining("linearly");
    }

    @Test
    void shadowAndAbFailNamingRolloutStrategy() {
        for (RolloutPolicy.Strategy s : List.of(RolloutPolicy.Strategy.SHADOW, RolloutPolicy.Strategy.AB)) {
            assertThatThrownBy(() -> RolloutDeployment.of(RolloutPolicy.of(s), "models[0]."))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("models[0].rollout.strategy: '" + s.yamlName() + "'");
        }
    }

    @Test
    void minDurationRoundsUpToWholeMinutesAndAtLeastOne() {
        assertThat(RolloutDeployment.of(canary(List.of(10, 100), Duration.ofSeconds(90)), "").minutes()).isEqualTo(2);
        assertThat(RolloutDeployment.of(canary(List.of(10, 100), Duration.ofSeconds(60)), "").minutes()).isEqualTo(1);
        assertThat(RolloutDeployment.of(canary(List.of(10, 100), Duration.ZERO), "").minutes()).isEqualTo(1);
        assertThat(RolloutDeployment.of(canary(List.of(10, 100), Duration.ofHours(1)), "").minutes()).isEqualTo(60);
    }

    /** The repository's catalog either renders step for step or is refused naming rollout.steps. */
    @Test
    void theRepositoryCatalogRendersOrIsRefusedNamingRolloutSteps() {
        Catalog catalog = Catalog.read(Path.of(System.getProperty("repo.root", "..")).resolve("config/models.yaml"));
        assertThat(catalog.rolloutPolicies()).isNotEmpty();
        catalog.rolloutPolicies().forEach((name, written) -> {
            RolloutPolicy policy = RolloutPolicy.fromMap(written, name + ".");
            List<Integer> steps = policy.steps();
            boolean linear = IntStream.range(0, steps.size()).allMatch(i -> steps.get(i) == steps.get(0) * (i + 1));
            boolean canary = steps.size() == 2 && steps.get(1) == 100;
            if (linear && steps.get(steps.size() - 1) == 100 || canary) {
                RolloutDeployment d = RolloutDeployment.of(policy, name + ".");
                assertThat(d.percent()).isEqualTo(steps.get(0));
            } else {
                assertThatThrownBy(() -> RolloutDeployment.of(policy, name + "."))
                        .hasMessageStartingWith(name + ".rollout.steps: " + steps);
            }
        });
    }
}
