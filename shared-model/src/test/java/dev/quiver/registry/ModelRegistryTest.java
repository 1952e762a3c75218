package dev.quiver.registry;

import dev.quiver.model.ModelDescriptor;
import dev.quiver.model.ModelKey;
import dev.quiver.error.QuiverException;
import dev.quiver.inference.InferenceEngine;
import dev.quiver.inference.LoadedModel;
import dev.quiver.inference.ServedModel;
import dev.quiver.testing.Artifacts;
import dev.quiver.testing.Descriptors;
import dev.quiver.testing.FakeEngine;
import dev.quiver.testing.Rows;
import dev.quiver.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.quiver.error.QuiverException.Kind.BAD_INPUT;
import static dev.quiver.error.QuiverException.Kind.CONFLICT;
import static dev.quiver.error.QuiverException.Kind.NOT_FOUND;
import static dev.quiver.error.QuiverException.Kind.REJECTED;
import static dev.quiver.error.QuiverException.Kind.UNAVAILABLE;
import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ModelRegistryTest {

    private static final Instant NOW = Instant.parse("2025-03-04T05:06:07Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path root;
    private DirectoryModelStore store;
    private FakeEngine engine;
    private ModelRegistry registry;

    @BeforeEach
    void setUp() {
        store = new DirectoryModelStore(root);
        engine = new FakeEngine();
        registry = new ModelRegistry(store, engine, CLOCK);
    }

    private ModelDescriptor register(String tag) {
        return registry.register("churn", Descriptors.numbers(1), Artifacts.model(tag));
    }

    /** churn version 1 registered and made champion. */
    private void championV1() {
        register("v1");
        registry.setAlias("churn", ModelRegistry.CHAMPION, "1");
    }

    /** The files and directories directly in the model's directory, hidden ones included. */
    private List<String> modelDirEntries() throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("churn"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void registerNumbersVersionsAndFillsInTheIdentity() {
        ModelDescriptor first = register("v1");
        ModelDescriptor second = register("v2");

        assertThat(first.name()).isEqualTo("churn");
        assertThat(first.version()).isEqualTo("1");
        assertThat(first.sha256()).isEqualTo(ModelRegistry.sha256(Artifacts.model("v1")));
        assertThat(first.createdAt()).isEqualTo(NOW);
        assertThat(second.version()).isEqualTo("2");
        assertThat(store.descriptor("churn", "2")).contains(second);
        assertThat(registry.isLoaded("churn", "2")).isTrue();
    }

    @Test
    void theNextVersionFollowsTheHighestNumberNotTheLastInTextOrder() {
        registry.register("churn", Descriptors.classifier().numbers(1).version("9").build(), Artifacts.model("9"));
        registry.register("churn", Descriptors.classifier().numbers(1).version("beta").build(), Artifacts.model("b"));

        assertThat(register("next").version()).isEqualTo("10");
        assertThat(register("after").version()).isEqualTo("11");
    }

    @Test
    void aChecksumMismatchIsRejectedAndChangesNothing() throws IOException {
        championV1();
        List<String> before = modelDirEntries();
        ModelDescriptor declared = Descriptors.classifier().numbers(1)
                .sha256(ModelRegistry.sha256(Artifacts.model("what the client meant"))).build();

        var e = expect(REJECTED, "descriptor.sha256",
                () -> registry.register("churn", declared, Artifacts.model("what arrived")));

        assertThat(e.reason()).contains(ModelRegistry.sha256(Artifacts.model("what arrived")));
        assertThat(store.versions("churn")).containsExactly("1");
        assertThat(root.resolve("churn").resolve("2")).doesNotExist();
        assertThat(modelDirEntries()).isEqualTo(before);
        assertThat(registry.aliases("churn")).containsExactly(Map.entry("champion", "1"));
        assertThat(engine.loads).hasSize(1);
    }

    @Test
    void aModelTheEngineCannotLoadIsRejectedAndTheChampionKeepsServing() throws IOException {
        championV1();
        List<String> before = modelDirEntries();

        expect(REJECTED, "model",
                () -> registry.register("churn", Descriptors.numbers(1), Artifacts.notAModel()));

        assertThat(modelDirEntries()).isEqualTo(before);
        assertThat(store.versions("churn")).containsExactly("1");
        assertThat(store.aliases("churn")).containsExactly(Map.entry("champion", "1"));
        ServedModel champion = registry.resolve("churn", null, null);
        assertThat(champion.key()).isEqualTo(new ModelKey("churn", "1"));
        Tensor in = Tensor.of(Descriptors.INPUT, champion.encoder().encode(Rows.n0(1)), 1, 1);
        assertThat(champion.model().run(List.of(in), List.of(Descriptors.PROBABILITIES))).hasSize(1);
    }

    @Test
    void aVersionCannotBeRegisteredTwice() throws IOException {
        ModelDescriptor v1 = Descriptors.classifier().numbers(1).version("1").build();
        registry.register("churn", v1, Artifacts.model("first"));

        expect(CONFLICT, "descriptor.version", () -> registry.register("churn", v1, Artifacts.model("second")));

        assertThat(Files.readAllBytes(store.artifact("churn", "1").orElseThrow())).isEqualTo(Artifacts.model("first"));
        assertThat(engine.loads).hasSize(1);
    }

    @Test
    void anInvalidDescriptorIsRefusedBeforeTheEngineSeesIt() {
        ModelDescriptor noCategories = Descriptors.classifier().category("plan").build();

        expect(BAD_INPUT, "descriptor.inputs[0].categories",
                () -> registry.register("churn", noCategories, Artifacts.model("v1")));
        expect(BAD_INPUT, "model", () -> registry.register("churn", Descriptors.numbers(1), new byte[0]));
        expect(BAD_INPUT, "model", () -> registry.register("../churn", Descriptors.numbers(1), Artifacts.model("v1")));

        assertThat(engine.loads).isEmpty();
        assertThat(store.modelNames()).isEmpty();
    }

    @Test
    void resolvePrefersTheVersionThenTheAliasThenTheChampion() {
        championV1();
        register("v2");
        registry.setAlias("churn", "challenger", "2");

        assertThat(registry.resolve("churn", null, null).key().version()).isEqualTo("1");
        assertThat(registry.resolve("churn", null, "challenger").key().version()).isEqualTo("2");
        assertThat(registry.resolve("churn", "1", "challenger").key().version()).isEqualTo("1");
    }

    @Test
    void movingTheChampionIsStoredAndSurvivesARestart() {
        championV1();
        register("v2");

        registry.setAlias("churn", ModelRegistry.CHAMPION, "2");

        assertThat(registry.resolve("churn", null, null).key().version()).isEqualTo("2");
        assertThat(store.aliases("churn")).containsExactly(Map.entry("champion", "2"));
        ModelRegistry restarted = new ModelRegistry(store, new FakeEngine(), CLOCK);
        assertThat(restarted.start()).isEmpty();
        assertThat(restarted.resolve("churn", null, null).key().version()).isEqualTo("2");
    }

    @Test
    void anotherInstanceServesAnAliasMoveAtItsNextRefreshAndKeepsTheOtherInstancesAliases() {
        championV1();
        register("v2");
        ModelRegistry other = new ModelRegistry(store, new FakeEngine(), CLOCK);
        other.start();

        registry.setAlias("churn", ModelRegistry.CHAMPION, "2");
        assertThat(other.resolve("churn", null, null).key().version()).as("before its refresh").isEqualTo("1");
        assertThat(other.refresh()).isEmpty();
        assertThat(other.resolve("churn", null, null).key().version()).isEqualTo("2");

        // a write of the other instance starts from what the store holds, not from what it served
        other.setAlias("churn", "challenger", "1");
        assertThat(store.aliases("churn")).containsExactly(Map.entry("challenger", "1"), Map.entry("champion", "2"));
    }

    @Test
    void aRefreshKeepsServingTheOldAliasesWhenTheVersionTheyMovedToCannotLoad() throws IOException {
        championV1();
        register("v2");
        Files.writeString(store.artifact("churn", "2").orElseThrow(), "tampered", StandardCharsets.UTF_8);
        ModelRegistry other = new ModelRegistry(store, new FakeEngine(), CLOCK);
        other.start();
        store.writeAliases("churn", Map.of(ModelRegistry.CHAMPION, "2"));

        assertThat(other.refresh()).containsOnlyKeys(new ModelKey("churn", "2"));
        assertThat(other.resolve("churn", null, null).key().version()).isEqualTo("1");
    }

    @Test
    void anAliasChangeThatKeepsLosingToOtherWritersIsAConflict() {
        championV1();
        ModelStore busy = new ModelStore() {
            public List<String> modelNames() {
                return store.modelNames();
            }

            public List<String> versions(String model) {
                return store.versions(model);
            }

            public java.util.Optional<ModelDescriptor> descriptor(String model, String version) {
                return store.descriptor(model, version);
            }

            public java.util.Optional<Path> artifact(String model, String version) {
                return store.artifact(model, version);
            }

            public void write(ModelDescriptor descriptor, byte[] artifact, byte[] referenceProfile) {
                store.write(descriptor, artifact, referenceProfile);
            }

            public java.util.Optional<Path> referenceProfile(String model, String version) {
                return store.referenceProfile(model, version);
            }

            public Aliases readAliases(String model) {
                return store.readAliases(model);
            }

            public boolean replaceAliases(String model, String expectedTag, Map<String, String> aliases) {
                return false;
            }
        };
        ModelRegistry losing = new ModelRegistry(busy, new FakeEngine(), CLOCK);
        losing.start();

        expect(CONFLICT, "alias", () -> losing.setAlias("churn", "challenger", "1"));
        assertThat(losing.aliases("churn")).containsExactly(Map.entry("champion", "1"));
    }

    @Test
    void anAliasDoesNotMoveToAVersionThatIsMissingOrCannotLoad() throws IOException {
        championV1();
        register("v2");
        // version 2's artifact changed on disk after registration: its checksum no longer matches
        Files.writeString(store.artifact("churn", "2").orElseThrow(), "tampered", StandardCharsets.UTF_8);
        ModelRegistry fresh = new ModelRegistry(store, new FakeEngine(), CLOCK);
        fresh.start();

        expect(NOT_FOUND, "version", () -> fresh.setAlias("churn", ModelRegistry.CHAMPION, "7"));
        expect(REJECTED, "sha256", () -> fresh.setAlias("churn", ModelRegistry.CHAMPION, "2"));

        assertThat(fresh.aliases("churn")).containsExactly(Map.entry("champion", "1"));
        assertThat(store.aliases("churn")).containsExactly(Map.entry("champion", "1"));
    }

    @Test
    void removingAnAlias() {
        championV1();
        registry.setAlias("churn", "challenger", "1");

        assertThat(registry.removeAlias("churn", "challenger")).containsExactly(Map.entry("champion", "1"));

        expect(NOT_FOUND, "alias", () -> registry.resolve("churn", null, "challenger"));
        expect(NOT_FOUND, "alias", () -> registry.removeAlias("churn", "challenger"));
        assertThat(store.aliases("churn")).containsOnlyKeys("champion");
    }

    @Test
    void notFoundNamesWhatIsMissing() {
        championV1();
        registry.register("fraud", Descriptors.numbers(1), Artifacts.model("fraud"));

        assertThat(expect(NOT_FOUND, "model", () -> registry.resolve("nope", null, null)).reason()).contains("nope");
        expect(NOT_FOUND, "model", () -> registry.resolve("nope", "1", null));
        expect(NOT_FOUND, "model", () -> registry.versions("nope"));
        expect(NOT_FOUND, "version", () -> registry.resolve("churn", "3", null));
        expect(NOT_FOUND, "version", () -> registry.descriptor("churn", "3"));
        expect(NOT_FOUND, "alias", () -> registry.resolve("churn", null, "canary"));
        // registered but never given a champion: the model exists, its alias does not
        expect(NOT_FOUND, "alias", () -> registry.resolve("fraud", null, null));
    }

    @Test
    void startLoadsAliasedVersionsAndLeavesTheRestForFirstUse() {
        championV1();
        register("v2");
        FakeEngine restartEngine = new FakeEngine();
        ModelRegistry restarted = new ModelRegistry(store, restartEngine, CLOCK);
        assertThat(restarted.championsReady()).as("not ready before start").isFalse();

        assertThat(restarted.start()).isEmpty();

        assertThat(restarted.championsReady()).isTrue();
        assertThat(restartEngine.loads).containsExactly(new ModelKey("churn", "1"));
        assertThat(restarted.isLoaded("churn", "2")).isFalse();
        assertThat(restarted.resolve("churn", "2", null).key()).isEqualTo(new ModelKey("churn", "2"));
        assertThat(restarted.isLoaded("churn", "2")).isTrue();
    }

    @Test
    void aChampionThatFailsToLoadAtStartIsReportedAndNotReady() throws IOException {
        championV1();
        Files.writeString(store.artifact("churn", "1").orElseThrow(), "tampered", StandardCharsets.UTF_8);
        ModelRegistry restarted = new ModelRegistry(store, new FakeEngine(), CLOCK);

        Map<ModelKey, String> failures = restarted.start();

        assertThat(failures).containsOnlyKeys(new ModelKey("churn", "1"));
        assertThat(failures.get(new ModelKey("churn", "1"))).contains("sha256");
        assertThat(restarted.championsReady()).isFalse();
        expect(REJECTED, "sha256", () -> restarted.resolve("churn", null, null));
    }

    /** An engine whose loads wait until {@link #release} (or fail with {@code error} once released, when set). */
    private static final class GatedEngine implements InferenceEngine {
        final FakeEngine inner = new FakeEngine();
        final CountDownLatch gate = new CountDownLatch(1);
        volatile Error error;

        @Override
        public LoadedModel load(ModelDescriptor descriptor, Path artifact) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (error != null) {
                throw error;
            }
            return inner.load(descriptor, artifact);
        }

        void release() {
            gate.countDown();
        }
    }

    private static Executor newThread() {
        return task -> new Thread(task, "test-model-load").start();
    }

    /** A registry over the store of {@link #championV1}, as after a restart, whose loads go through {@code gated}. */
    private ModelRegistry restartedOn(GatedEngine gated) {
        championV1();
        return new ModelRegistry(store, gated, CLOCK);
    }

    @Test
    void aCallDuringABackgroundStartWaitsForTheModelsItNeeds() throws Exception {
        GatedEngine gated = new GatedEngine();
        ModelRegistry restarted = restartedOn(gated);

        CompletableFuture<Map<ModelKey, String>> start = restarted.startInBackground(newThread(), Duration.ofSeconds(30));
        CompletableFuture<ModelKey> call = CompletableFuture.supplyAsync(
                () -> restarted.resolve("churn", null, null).key());
        CompletableFuture<Map<String, String>> aliases = CompletableFuture.supplyAsync(() -> restarted.aliases("churn"));

        Thread.sleep(200);
        assertThat(call).as("the call waits while the champion loads").isNotDone();
        assertThat(aliases).as("so does a read of the aliases").isNotDone();
        assertThat(restarted.started()).isFalse();
        assertThat(restarted.championsReady()).isFalse();

        gated.release();

        assertThat(start.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(new ModelKey("churn", "1"));
        assertThat(aliases.get(10, TimeUnit.SECONDS)).containsEntry(ModelRegistry.CHAMPION, "1");
        assertThat(restarted.started()).isTrue();
        assertThat(restarted.championsReady()).isTrue();
        assertThat(gated.inner.loads).containsExactly(new ModelKey("churn", "1"));
    }

    @Test
    void aCallThatOutwaitsABackgroundStartIsUnavailableWithARetryHint() throws Exception {
        GatedEngine gated = new GatedEngine();
        ModelRegistry restarted = restartedOn(gated);
        CompletableFuture<Map<ModelKey, String>> start = restarted.startInBackground(newThread(), Duration.ofMillis(50));

        QuiverException e = expect(UNAVAILABLE, null, () -> restarted.resolve("churn", null, null));
        assertThat(e.getMessage()).contains("still loading");
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));

        gated.release();
        start.get(10, TimeUnit.SECONDS);
        assertThat(restarted.resolve("churn", null, null).key()).isEqualTo(new ModelKey("churn", "1"));
    }

    @Test
    void aBackgroundStartThatFailsOutrightFailsItsFutureAndReleasesWaiters() throws Exception {
        GatedEngine gated = new GatedEngine();
        gated.error = new UnsatisfiedLinkError("no onnxruntime for this platform");
        ModelRegistry restarted = restartedOn(gated);
        CompletableFuture<Map<ModelKey, String>> start = restarted.startInBackground(newThread(), Duration.ofSeconds(30));
        CompletableFuture<Map<String, String>> waiting = CompletableFuture.supplyAsync(() -> restarted.aliases("churn"));

        gated.release();

        assertThat(catchThrowable(() -> start.get(10, TimeUnit.SECONDS))).hasCauseInstanceOf(UnsatisfiedLinkError.class);
        assertThat(catchThrowable(() -> waiting.get(10, TimeUnit.SECONDS))).as("released, not left hanging")
                .hasCauseInstanceOf(QuiverException.class).hasMessageContaining("could not be read");
        assertThat(restarted.started()).isFalse();
        assertThat(restarted.championsReady()).isFalse();
    }

    @Test
    void closeReleasesEveryLoadedModel() {
        championV1();
        register("v2");

        registry.close();

        assertThat(engine.models).hasSize(2).allMatch(m -> m.closed);
        assertThat(registry.isLoaded("churn", "1")).isFalse();
    }

    @Test
    void aCandidateIsLoadedButNeitherStoredNorResolvableUntilRegistered() throws IOException {
        championV1();
        byte[] bytes = Artifacts.model("v2");
        Path file = Files.write(root.resolveSibling(root.getFileName() + "-upload"), bytes);
        try (Candidate c = registry.candidate("churn", Descriptors.numbers(1), ModelArtifact.of(file),
                ModelRegistry.sha256(bytes))) {
            assertThat(c.descriptor().version()).isEqualTo("2");
            assertThat(c.served().key()).isEqualTo(new ModelKey("churn", "2"));
            assertThat(registry.versions("churn")).containsExactly("1");
            expect(NOT_FOUND, "version", () -> registry.resolve("churn", "2", null));
        }
        assertThat(engine.models.get(engine.models.size() - 1).closed).isTrue();
        Files.delete(file);
    }

    @Test
    void aCandidateOvertakenByAnotherRegistrationIsRegisteredAsTheNextVersion() throws IOException {
        championV1();
        byte[] bytes = Artifacts.model("v3");
        Path file = Files.write(root.resolveSibling(root.getFileName() + "-upload"), bytes);
        try (Candidate c = registry.candidate("churn", Descriptors.numbers(1), ModelArtifact.of(file),
                ModelRegistry.sha256(bytes))) {
            register("v2");

            ModelDescriptor stored = registry.register(c, null);

            assertThat(stored.version()).isEqualTo("3");
            assertThat(stored.sha256()).isEqualTo(ModelRegistry.sha256(bytes));
            assertThat(registry.resolve("churn", "3", null).model().descriptor().version()).isEqualTo("3");
            assertThat(catchThrowable(() -> registry.register(c, null))).hasMessageContaining("already registered");
        }
        assertThat(registry.resolve("churn", "3", null).model()).isNotNull();
        Files.delete(file);
    }
}
