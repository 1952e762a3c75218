package dev.quiver.prediction.acceptance;

import dev.quiver.team.TeamChannel;
import dev.quiver.error.QuiverException;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.prediction.PredictionObserver;
import dev.quiver.prediction.PredictionService;
import dev.quiver.registry.Catalog;
import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.registry.ModelArtifact;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.rollout.FileRolloutStore;
import dev.quiver.rollout.Rollout;
import dev.quiver.rollout.RolloutPolicy;
import dev.quiver.rollout.Rollouts;
import dev.quiver.testing.Artifacts;
import dev.quiver.testing.Descriptors;
import dev.quiver.testing.FakeEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.quiver.error.QuiverException.Kind.BAD_INPUT;
import static dev.quiver.error.QuiverException.Kind.CONFLICT;
import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole acceptance of a delivered model on the fake engine: measured before it is registered, registered as the
 * challenger and rolled out when it meets the requirement, left without a trace when it does not.
 */
class CandidateAcceptanceTest {

    @TempDir
    Path root;
    private FakeEngine engine;
    private ModelRegistry registry;
    private Rollouts rollouts;
    private CandidateAcceptance acceptance;

    @BeforeEach
    void setUp() {
        engine = new FakeEngine();
        registry = new ModelRegistry(new DirectoryModelStore(root.resolve("models")), engine, Clock.systemUTC());
        registry.register("churn", Descriptors.numbers(1), Artifacts.model("v1"));
        registry.setAlias("churn", ModelRegistry.CHAMPION, "1");
        RolloutPolicy canary = new RolloutPolicy(RolloutPolicy.Strategy.CANARY, null, "next", null, 100,
                Duration.ofMinutes(10), null, null);
        rollouts = new Rollouts(registry, new FileRolloutStore(root.resolve("rollouts")), Map.of("churn", canary),
                TeamChannel.NONE, Clock.systemUTC(), "i-1");
        // one request at a time: the fake engine records its runs in a list of its own
        acceptance = new CandidateAcceptance(registry, new PredictionService(registry, 100, PredictionObserver.NONE),
                rollouts, Map.of("churn", new Catalog.Sla(1000.0, null)),
                new AcceptanceBenchmark(new AcceptanceSettings(Duration.ZERO, Duration.ofMillis(50), 1)));
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    /** A delivery of {@code bytes} declared with {@code sha256}, held to {@code requirement}. */
    private CandidateAcceptance.Delivery delivery(byte[] bytes, String sha256, Requirement requirement)
            throws IOException {
        Path file = Files.write(root.resolve("upload-" + System.nanoTime()), bytes);
        return new CandidateAcceptance.Delivery("churn", Descriptors.numbers(1), ModelArtifact.of(file), sha256, null,
                requirement, "ds@example.com");
    }

    private CandidateAcceptance.Delivery delivery(byte[] bytes, Requirement requirement) throws IOException {
        return delivery(bytes, ModelRegistry.sha256(bytes), requirement);
    }

    @Test
    void anAcceptedCandidateBecomesTheChallengerOfARunningRollout() throws IOException {
        CandidateAcceptance.Outcome o = acceptance.accept(delivery(Artifacts.model("v2"), new Requirement(null, 1.0)));

        assertThat(o.accepted()).as(o.reason()).isTrue();
        assertThat(o.version()).isEqualTo("2");
        assertThat(o.required()).isEqualTo(new Requirement(1000.0, 1.0));
        assertThat(o.measured().requests()).isPositive();
        assertThat(o.reason()).contains("latency_p99_ms").contains("registered as version 2, alias 'next'")
                .contains("canary rollout churn/2-");
        assertThat(registry.versions("churn")).containsExactly("1", "2");
        assertThat(registry.aliases("churn")).containsEntry("next", "2").containsEntry("champion", "1");
        assertThat(o.rollout().rollout().status()).isEqualTo(Rollout.Status.RUNNING);
        assertThat(o.rollout().rollout().events().get(0).by()).isEqualTo("ds@example.com");
        // the measured session is the one that serves: loaded once
        assertThat(engine.loads.stream().filter(k -> k.version().equals("2"))).hasSize(1);
    }

    @Test
    void aRefusedCandidateLeavesNothingBehind() throws IOException {
        CandidateAcceptance.Outcome o = acceptance.accept(delivery(Artifacts.model("v2"), new Requirement(1e-6, null)));

        assertThat(o.accepted()).isFalse();
        assertThat(o.version()).isNull();
        assertThat(o.rollout()).isNull();
        assertThat(o.reason()).startsWith("refused: latency_p99_ms: measured p99 ");
        assertThat(registry.versions("churn")).containsExactly("1");
        assertThat(registry.aliases("churn")).containsOnlyKeys("champion");
        assertThat(engine.models.get(engine.models.size() - 1).closed).isTrue();
        assertThat(rollouts.routing("churn")).isNull();
    }

    @Test
    void aDigestThatDiffersIsTheCallersErrorWithBothDigests() throws IOException {
        byte[] bytes = Artifacts.model("v2");
        String other = ModelRegistry.sha256(Artifacts.model("v3"));

        QuiverException e = expect(BAD_INPUT, "sha256", () -> acceptance.accept(delivery(bytes, other,
                Requirement.NONE)));

        assertThat(e.reason()).contains(ModelRegistry.sha256(bytes)).contains(other);
        assertThat(engine.loads).hasSize(1);
        expect(BAD_INPUT, "sha256", () -> acceptance.accept(delivery(bytes, "abc", Requirement.NONE)));
        Path file = Files.write(root.resolve("declared"), bytes);
        ModelDescriptor declared = Descriptors.classifier().numbers(1).sha256(other).build();
        expect(BAD_INPUT, "descriptor.sha256", () -> acceptance.accept(new CandidateAcceptance.Delivery("churn",
                declared, ModelArtifact.of(file), ModelRegistry.sha256(bytes), null, Requirement.NONE, null)));
    }

    @Test
    void aModelThatDoesNotLoadIsRefusedWithTheReason() throws IOException {
        CandidateAcceptance.Outcome o = acceptance.accept(delivery(Artifacts.notAModel(), Requirement.NONE));

        assertThat(o.accepted()).isFalse();
        assertThat(o.measured()).isNull();
        assertThat(o.reason()).startsWith("refused: the model does not load: model: not an ONNX model");
        assertThat(registry.versions("churn")).containsExactly("1");
    }

    @Test
    void noCandidateIsTakenWhileARolloutIsUnderWay() throws IOException {
        assertThat(acceptance.accept(delivery(Artifacts.model("v2"), Requirement.NONE)).accepted()).isTrue();

        expect(CONFLICT, "model", () -> acceptance.accept(delivery(Artifacts.model("v3"), Requirement.NONE)));
        assertThat(registry.versions("churn")).containsExactly("1", "2");
    }

    @Test
    void benchmarkRowsComeFromTheChampionsProfileWhenTheCandidateHasNone() throws IOException {
        ModelDescriptor d = Descriptors.numbers(1);
        double[] encoded = {3.0, 3.0};
        byte[] profile = dev.quiver.json.Json.MAPPER.writeValueAsBytes(dev.quiver.drift.capture.Profile.reference(
                "churn", d.inputs(), d.labels(), encoded, 2, new double[] {0.5, 0.5, 0.5, 0.5}, java.time.Instant.EPOCH));
        Path file = Files.write(root.resolve("v3"), Artifacts.model("v3"));
        registry.register("churn", d, ModelArtifact.of(file), profile);
        registry.setAlias("churn", ModelRegistry.CHAMPION, "2");

        assertThat(acceptance.accept(delivery(Artifacts.model("v4"), Requirement.NONE)).accepted()).isTrue();

        List<dev.quiver.tensor.Tensor> last = engine.runs().get(engine.runs().size() - 1);
        assertThat((float[]) last.get(0).data()).containsExactly(3.0f);
    }
}
