package dev.quiver.team;

import dev.quiver.agent.DeploymentRequest;
import dev.quiver.agent.requirement.ModelFormat;
import dev.quiver.registry.Catalog;
import dev.quiver.testing.FeatureFixtures;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ModelRequirementsTest {

    @Test
    void theServiceLevelIsWrittenInTheTeamsStringsAndReadsBackTheSame() {
        DeploymentRequest.Requirements r = ModelRequirements.of(new Catalog.Sla(100.0, 1000.0), "function");

        assertThat(r).isEqualTo(new DeploymentRequest.Requirements("p99 <= 100 ms", "1000 req/s", "ONNX"));
        assertThat(r.latencyBound().orElseThrow().bound()).isEqualTo(Duration.ofMillis(100));
        assertThat(r.latencyBound().orElseThrow().percentile()).isEqualTo(99.0);
        assertThat(r.requestsPerSecond()).hasValue(1000);
        assertThat(r.formats()).containsExactly(ModelFormat.ONNX);
    }

    @Test
    void aGpuTargetAlsoTakesTensorRtAndUnstatedBoundsAreLeftOut() {
        DeploymentRequest.Requirements r = ModelRequirements.of(new Catalog.Sla(12.5, null), "sagemaker-gpu");

        assertThat(r).isEqualTo(new DeploymentRequest.Requirements("p99 <= 12.5 ms", null, "ONNX or TensorRT"));
        assertThat(r.formats()).containsExactly(ModelFormat.ONNX, ModelFormat.TENSORRT);
        assertThat(ModelRequirements.of(null, null)).isEqualTo(new DeploymentRequest.Requirements(null, null, "ONNX"));
    }

    @Test
    void theRepositoryCatalogAsksForTheChurnModelsServiceLevel() {
        Catalog catalog = Catalog.read(FeatureFixtures.repositoryRoot().resolve("config/models.yaml"));

        assertThat(ModelRequirements.of(catalog)).containsEntry("churn",
                new DeploymentRequest.Requirements("p99 <= 100 ms", "1000 req/s", "ONNX"));
    }
}
