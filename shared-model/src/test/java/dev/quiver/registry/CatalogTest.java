package dev.quiver.registry;

import dev.quiver.json.Json;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.model.ModelKey;
import dev.quiver.testing.Artifacts;
import dev.quiver.testing.Descriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.quiver.error.QuiverException.Kind.BAD_INPUT;
import static dev.quiver.error.QuiverException.Kind.REJECTED;
import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;

class CatalogTest {

    /**
     * The artifact is the fake engine's model "ONNX abc" (no protobuf: the file check finds nothing in it); its sha256
     * comes from coreutils, not from here: {@code printf 'ONNX abc' | sha256sum}.
     */
    private static final String ABC_SHA256 = "88b21f1fa44cf76090894b51eecca2740164ba1231897bfb2eacbd005cc9c13b";

    @TempDir
    Path config;
    @TempDir
    Path storeRoot;

    /** Writes config/models.yaml listing churn version 1 with {@code sha256} and champion -> 1. */
    private Catalog catalog(String sha256) throws IOException {
        Path dir = config.resolve("models/churn/1");
        Files.createDirectories(dir);
        Files.write(dir.resolve(DirectoryModelStore.ARTIFACT), Artifacts.model("abc"));
        Json.MAPPER.writeValue(dir.resolve(DirectoryModelStore.DESCRIPTOR).toFile(), Descriptors.numbers(2));
        Files.writeString(config.resolve("models.yaml"), """
                models:
                  - name: churn
                    description: test churn model
                    target: function
                    sla:
                      p99_ms: 100
                    versions:
                      - version: "1"
                        artifact: models/churn/1
                        sha256: %s
                    aliases:
                      champion: "1"
                """.formatted(sha256));
        return Catalog.read(config.resolve("models.yaml"));
    }

    @Test
    void seedImportsVersionsWithTheirChecksumAndSetsAliases() throws IOException {
        DirectoryModelStore store = new DirectoryModelStore(storeRoot);

        var imported = catalog(ABC_SHA256).seed(config, store);

        assertThat(imported).containsExactly(new ModelKey("churn", "1"));
        ModelDescriptor d = store.descriptor("churn", "1").orElseThrow();
        assertThat(d.name()).isEqualTo("churn");
        assertThat(d.version()).isEqualTo("1");
        assertThat(d.sha256()).isEqualTo(ABC_SHA256);
        assertThat(d.inputs()).hasSize(2);
        assertThat(store.aliases("churn")).containsExactly(Map.entry("champion", "1"));
    }

    @Test
    void anArtifactWhoseChecksumDisagreesIsNotImported() throws IOException {
        DirectoryModelStore store = new DirectoryModelStore(storeRoot);
        Catalog catalog = catalog("0".repeat(64));

        var e = expect(REJECTED, "sha256", () -> catalog.seed(config, store));

        assertThat(e.reason()).contains(ABC_SHA256);
        assertThat(store.versions("churn")).isEmpty();
        assertThat(store.aliases("churn")).isEmpty();
        assertThat(storeRoot.resolve("churn").resolve("1")).doesNotExist();
    }

    @Test
    void instancesSeedingOneStoreAtOnceAllStart() throws Exception {
        Catalog catalog = catalog(ABC_SHA256);
        int n = 6;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<java.util.List<ModelKey>>> seeded = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                seeded.add(pool.submit(() -> {
                    go.await();
                    return catalog.seed(config, new DirectoryModelStore(storeRoot));
                }));
            }
            go.countDown();
            int imports = 0;
            for (var f : seeded) {
                imports += f.get().size();
            }
            assertThat(imports).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        DirectoryModelStore store = new DirectoryModelStore(storeRoot);
        assertThat(store.versions("churn")).containsExactly("1");
        assertThat(store.aliases("churn")).containsExactly(Map.entry("champion", "1"));
    }

    @Test
    void aRestartKeepsAliasesMovedAtRunTimeAndImportsNothingTwice() throws IOException {
        DirectoryModelStore store = new DirectoryModelStore(storeRoot);
        Catalog catalog = catalog(ABC_SHA256);
        catalog.seed(config, store);
        store.write(store.descriptor("churn", "1").orElseThrow().withIdentity("churn", "2", null, null),
                Artifacts.model("2"));
        store.writeAliases("churn", Map.of("champion", "2"));

        var imported = catalog.seed(config, store);

        assertThat(imported).isEmpty();
        assertThat(store.aliases("churn")).containsExactly(Map.entry("champion", "2"));
    }

    @Test
    void aMissingCatalogFileIsAnEmptyCatalog() {
        Catalog catalog = Catalog.read(config.resolve("absent.yaml"));

        assertThat(catalog.models()).isEmpty();
        assertThat(catalog.seed(config, new DirectoryModelStore(storeRoot))).isEmpty();
    }

    @Test
    void theRepositoryCatalogPointsTheChurnModelAtAFeatureServiceTheDefinitionsDeclare() {
        java.nio.file.Path root = dev.quiver.testing.FeatureFixtures.repositoryRoot();
        Catalog catalog = Catalog.read(root.resolve("config/models.yaml"));
        assertThat(catalog.featureServices()).containsEntry("churn", "churn_model");
        dev.quiver.feature.FeatureDefinitions defs = dev.quiver.feature.FeatureDefinitions.read(root.resolve("config/features.yaml"));
        java.util.Set<String> served = new java.util.HashSet<>();
        defs.service("churn_model", "x").forEach(r -> served.add(r.feature()));
        ModelDescriptor churn;
        try {
            churn = Json.MAPPER.readValue(root.resolve("config/models/churn/1/descriptor.json").toFile(), ModelDescriptor.class);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(churn.inputs()).allSatisfy(f -> assertThat(served).contains(f.name()));
    }

    @Test
    void theRepositoryCatalogStatesTheChurnModelsServiceLevel() {
        Catalog catalog = Catalog.read(dev.quiver.testing.FeatureFixtures.repositoryRoot().resolve("config/models.yaml"));

        Catalog.Sla churn = catalog.slas().get("churn");
        assertThat(churn.p99()).isEqualTo(java.time.Duration.ofMillis(100));
        assertThat(churn.requestsPerSecond()).isEqualTo(1000.0);
    }

    @Test
    void aServiceLevelMayStateOneBoundOrNone() throws IOException {
        Catalog catalog = written("""
                models:
                  - name: a
                    sla:
                      requests_per_second: 50
                  - name: b
                """);

        assertThat(catalog.slas()).containsOnlyKeys("a");
        assertThat(catalog.slas().get("a").p99()).isNull();
        assertThat(catalog.slas().get("a").requestsPerSecond()).isEqualTo(50.0);
    }

    @Test
    void aKeyTheCatalogDoesNotKnowIsNamedNotIgnored() throws IOException {
        var e = expect(BAD_INPUT, "models[0].sla.p99", () -> written("""
                models:
                  - name: churn
                    sla:
                      p99: 100
                """));
        assertThat(e.reason()).contains("models.yaml").contains("p99");

        expect(BAD_INPUT, "models[1].feature_servce", () -> written("""
                models:
                  - name: a
                  - name: b
                    feature_servce: churn_model
                """));
    }

    @Test
    void valuesOutOfRangeOrOfTheWrongTypeAreNamed() {
        expect(BAD_INPUT, "models[0].sla.p99_ms", () -> written("""
                models:
                  - name: churn
                    sla: {p99_ms: -5}
                """));
        expect(BAD_INPUT, "models[0].sla.p99_ms", () -> written("""
                models:
                  - name: churn
                    sla: {p99_ms: fast}
                """));
        expect(BAD_INPUT, "models[0].sla.requests_per_second", () -> written("""
                models:
                  - name: churn
                    sla: {requests_per_second: 0}
                """));
        var target = expect(BAD_INPUT, "models[0].target", () -> written("""
                models:
                  - name: churn
                    target: tpu
                """));
        assertThat(target.reason()).contains("function").contains("sagemaker-gpu").contains("'tpu'");
        expect(BAD_INPUT, "models[1].name", () -> written("""
                models:
                  - name: churn
                  - name: churn
                """));
        expect(BAD_INPUT, "models[0].name", () -> written("""
                models:
                  - description: no name
                """));
    }

    private Catalog written(String yaml) throws IOException {
        Files.writeString(config.resolve("models.yaml"), yaml);
        return Catalog.read(config.resolve("models.yaml"));
    }
}
