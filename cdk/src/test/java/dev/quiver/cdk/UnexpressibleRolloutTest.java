package dev.quiver.cdk;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A catalog whose rollout CodeDeploy cannot express stops synthesis with a message naming the field. */
class UnexpressibleRolloutTest {

    @Test
    void unevenStepsInTheCatalogFailSynthesisNamingRolloutSteps() {
        List<Integer> steps = List.of(5, 25, 50, 100);
        App app = TestApps.quiver().steps(steps).app();
        assertThatThrownBy(() -> QuiverApp.define(app))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("models.yaml: models[0].rollout.steps: " + steps)
                .hasMessageContaining("cannot be rendered as a CodeDeploy deployment");
        assertThat(app.getNode().getChildren()).as("no stack is left half-defined").isEmpty();
    }
}
