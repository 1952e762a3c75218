package dev.quiver.cdk;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A catalog whose rollout CodeDeploy cannot express stops synthesis with a message naming the field. */
class UnexpressibleRolloutTest {

    @Test
    void unevenStepsInTheCatalogFailSynthesisNamingRolloutSteps() {
        TestApps apps = TestApps.quiver().steps(List.of(5, 25, 50, 100));
        assertThatThrownBy(() -> QuiverApp.define(apps.app()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("models.yaml: models[0].rollout.steps: [5, 25, 50, 100]")
                .hasMessageContaining("cannot be rendered as a CodeDeploy deployment");
    }
}
