package dev.quiver.wiring.lambda;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurableStateTest {

    private static final List<String> ALL = List.of("models", "rollouts", "capture", "features");

    private static List<String> problems(Map<String, String> settings, boolean throwaway) {
        return DurableState.problems(ALL, throwaway, key -> Optional.ofNullable(settings.get(key)));
    }

    @Test
    void storesInTmpAreNamedWithTheSettingsThatMoveThem() {
        List<String> p = problems(Map.of("quiver.store.path", "/tmp/quiver/models",
                "quiver.rollouts.path", "/tmp/quiver/rollouts", "quiver.capture.store", "directory",
                "quiver.capture.path", "/tmp", "quiver.features.store.path", "/tmp/quiver/features"), false);

        assertThat(p).containsExactly(
                "models: set quiver.store.kind=s3 and quiver.store.s3.bucket",
                "rollouts: set quiver.rollouts.store=redis and quiver.rollouts.redis.uri, or quiver.rollouts.path on EFS",
                "capture: set quiver.capture.store=redis and quiver.capture.redis.uri, or quiver.capture.path on EFS",
                "features: set quiver.features.store.kind=redis and quiver.features.redis.uri, or"
                        + " quiver.features.store.path on EFS");
        assertThat(DurableState.message(p)).contains("/tmp").contains("quiver.lambda.throwaway-state=true");
    }

    @Test
    void sharedStoresAndMountedDirectoriesPass() {
        assertThat(problems(Map.of("quiver.store.kind", "S3", "quiver.rollouts.store", "redis",
                "quiver.capture.path", "/mnt/efs/capture", "quiver.features.store.kind", "redis"), false)).isEmpty();
        assertThat(problems(Map.of("quiver.rollouts.path", "/tmpfs-is-not-tmp"), false))
                .noneMatch(p -> p.startsWith("rollouts"));
    }

    @Test
    void theAgentsStateMustBeInRedisOrOnAMountedDirectory() {
        List<String> agent = List.of("agent");
        Map<String, String> tmp = Map.of("quiver.agent.state", "/tmp/quiver/agent");
        assertThat(DurableState.problems(agent, false, k -> Optional.ofNullable(tmp.get(k))))
                .containsExactly("agent: set quiver.agent.store=redis and quiver.agent.redis.uri (its message ledger,"
                        + " outbox, journal, incidents and dead letters), or quiver.agent.state to a directory on EFS");
        assertThat(DurableState.problems(agent, false, k -> Optional.of("/mnt/efs/agent"))).isEmpty();

        Map<String, String> redis = Map.of("quiver.agent.state", "/tmp/quiver/agent", "quiver.agent.store", "redis");
        assertThat(DurableState.problems(agent, false, k -> Optional.ofNullable(redis.get(k)))).isEmpty();
        Map<String, String> ledgerInTmp = Map.of("quiver.agent.state", "/tmp/quiver/agent", "quiver.agent.store",
                "redis", "quiver.agent.ledger.store", "directory");
        assertThat(DurableState.problems(agent, false, k -> Optional.ofNullable(ledgerInTmp.get(k)))).hasSize(1);
    }

    @Test
    void aThrowawayStateIsAllowedWhenAskedFor() {
        assertThat(problems(Map.of(), true)).isEmpty();
    }

    @Test
    void anUnknownStoreIsNamed() {
        assertThatThrownBy(() -> DurableState.problems(List.of("modles"), false, k -> Optional.empty()))
                .hasMessageStartingWith("quiver.lambda.state: 'modles' is not a store");
    }
}
