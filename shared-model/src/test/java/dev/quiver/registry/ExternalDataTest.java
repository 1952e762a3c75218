package dev.quiver.registry;

import dev.quiver.json.Json;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.model.ModelKey;
import dev.quiver.inference.InferenceEngine;
import dev.quiver.inference.LoadedModel;
import dev.quiver.tensor.Tensor;
import dev.quiver.tensor.TensorSpec;
import dev.quiver.testing.Descriptors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.quiver.error.QuiverException.Kind.BAD_INPUT;
import static dev.quiver.error.QuiverException.Kind.REJECTED;
import static dev.quiver.registry.CraftedModels.external;
import static dev.quiver.registry.CraftedModels.inline;
import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Models whose data lives in files beside them, through the registry, the catalog and the store: they travel with
 * their own files, the runtime opens them only inside their own directory, and one that names anything else is
 * refused before the runtime sees it, at registration, at import and at every load from the store.
 */
class ExternalDataTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;
    private DirectoryModelStore store;
    private RecordingEngine engine;
    private ModelRegistry registry;

    @BeforeEach
    void setUp() {
        store = new DirectoryModelStore(tmp.resolve("store"));
        engine = new RecordingEngine();
        registry = new ModelRegistry(store, engine, CLOCK);
    }

    /** An engine that opens nothing: it records what it was asked to load and what lay beside it then. */
    static final class RecordingEngine implements InferenceEngine {
        final List<Path> loads = new ArrayList<>();
        final List<List<String>> filesBeside = new ArrayList<>();
        final List<String> directoryPermissions = new ArrayList<>();

        @Override
        public LoadedModel load(ModelDescriptor descriptor, Path artifact) {
            Path dir = artifact.getParent();
            loads.add(artifact);
            try (Stream<Path> s = Files.walk(dir)) {
                filesBeside.add(s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList());
                directoryPermissions.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new LoadedModel() {
                @Override
                public ModelDescriptor descriptor() {
                    return descriptor;
                }

                @Override
                public List<TensorSpec> inputs() {
                    return List.of();
                }

                @Override
                public List<TensorSpec> outputs() {
                    return List.of();
                }

                @Override
                public List<Tensor> run(List<Tensor> inputs, List<String> outputNames) {
                    return List.of();
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve("uploads").resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, bytes);
    }

    private static ModelDescriptor descriptor() {
        return Descriptors.tensorOnly();
    }

    @Test
    void aModelTravelsWithItsDataFilesAndLoadsFromAPrivateDirectoryOfItsOwn() throws IOException {
        Path onnx = file("upload-1", CraftedModels.withInitializer(external("W", "weights/w.bin", 4L, 8L, 2)));
        Path data = file("upload-2", CraftedModels.floats(0f, 1.5f, -2f));

        ModelDescriptor d = registry.register("m", descriptor(), new ModelArtifact(onnx, Map.of("weights/w.bin", data)),
                null);

        assertThat(d.version()).isEqualTo("1");
        assertThat(d.sha256()).isEqualTo(ModelRegistry.sha256(onnx));
        Path loadedFrom = engine.loads.get(0);
        assertThat(loadedFrom.getFileName().toString()).isEqualTo("model.onnx");
        assertThat(loadedFrom.getParent()).isNotEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
        assertThat(engine.filesBeside.get(0)).containsExactly("model.onnx", "weights/w.bin");
        assertThat(engine.directoryPermissions.get(0)).isEqualTo("rwx------");
        assertThat(loadedFrom.getParent()).as("removed once stored").doesNotExist();
        Path version = store.artifact("m", "1").orElseThrow().getParent();
        assertThat(version.resolve("weights/w.bin")).hasBinaryContent(CraftedModels.floats(0f, 1.5f, -2f));
        assertThat(version.resolve("model.onnx")).hasSameBinaryContentAs(onnx);

        // and it loads from the store's directory after a restart
        RecordingEngine restarted = new RecordingEngine();
        new ModelRegistry(store, restarted, CLOCK).setAlias("m", ModelRegistry.CHAMPION, "1");
        assertThat(restarted.loads).containsExactly(store.artifact("m", "1").orElseThrow());
        assertThat(restarted.filesBeside.get(0)).containsExactly("descriptor.json", "model.onnx", "weights/w.bin");
    }

    @Test
    void aModelNamingAFileOutsideIsRefusedBeforeTheRuntimeSeesItAndNothingIsStored() throws IOException {
        Path secret = Files.write(tmp.resolve("secret.bin"), CraftedModels.floats(1234.5f, -42.25f));
        for (String location : List.of("../../../../../../../../" + secret, secret.toString(), "../secret.bin")) {
            byte[] onnx = CraftedModels.withInitializer(external("W", location));

            var e = expect(REJECTED, "model", () -> registry.register("m", descriptor(), onnx));

            assertThat(e.reason()).startsWith("initializer 'W' stores its data outside the model file, in '"
                    + location + "'");
        }
        assertThat(engine.loads).isEmpty();
        assertThat(store.versions("m")).isEmpty();
        assertThat(tmp.resolve("store/m")).doesNotExist();
    }

    @Test
    void aModelNamingAFileThatDidNotTravelWithItIsRefused() {
        byte[] onnx = CraftedModels.withInitializer(external("W", "w.bin"));

        var e = expect(REJECTED, "model", () -> registry.register("m", descriptor(), onnx));

        assertThat(e.reason()).contains("no such file travels with the model");
        assertThat(engine.loads).isEmpty();
    }

    @Test
    void aDataFileNoTensorNamesIsRefused() throws IOException {
        Path onnx = file("model", CraftedModels.withInitializer(inline("W", 1f, 2f)));
        Path data = file("data", new byte[8]);

        var e = expect(REJECTED, "external_data", () -> registry.register("m", descriptor(),
                new ModelArtifact(onnx, Map.of("extra.bin", data)), null));

        assertThat(e.reason()).isEqualTo("'extra.bin' is named by no tensor of the model; send only the data files "
                + "its tensors name");
        assertThat(engine.loads).isEmpty();
        assertThat(store.versions("m")).isEmpty();
    }

    @Test
    void aDataFileCannotTakeTheNameOfTheVersionsOwnFiles() throws IOException {
        Path onnx = file("model", CraftedModels.withInitializer(inline("W", 1f, 2f)));

        expect(BAD_INPUT, "external_data", () -> new ModelArtifact(onnx, Map.of("descriptor.json", onnx)));
        expect(BAD_INPUT, "external_data", () -> new ModelArtifact(onnx, Map.of("../../x", onnx)));
    }

    @Test
    void aVersionPlantedInTheStoreIsCheckedAtEveryLoad() throws IOException {
        Path secret = Files.write(tmp.resolve("secret.bin"), CraftedModels.floats(1234.5f, -42.25f));
        Path byName = plant("byname", CraftedModels.withInitializer(external("W", "../../../secret.bin")));
        Path byLink = plant("bylink", CraftedModels.withInitializer(external("W", "w.bin")));
        Files.createSymbolicLink(byLink.resolveSibling("w.bin"), secret);
        Path huge = plant("huge", CraftedModels.withInitializer(CraftedModels.declared("W", 100_000, 100_000, 10)));
        assertThat(byName.getParent().resolve("../../../secret.bin").normalize()).isEqualTo(secret);

        var e = expect(REJECTED, "model", () -> registry.setAlias("byname", ModelRegistry.CHAMPION, "1"));
        assertThat(e.reason()).startsWith("stored version byname:1 cannot be loaded: initializer 'W' stores its data "
                + "outside the model file");
        expect(REJECTED, "model", () -> registry.resolve("bylink", "1", null));
        // over a limit, a stored version is refused as unloadable, not as too large a request
        expect(REJECTED, "model", () -> registry.resolve("huge", "1", null));
        store.writeAliases("byname", Map.of(ModelRegistry.CHAMPION, "1"));
        Map<ModelKey, String> failures = registry.start();
        assertThat(failures).containsKey(new ModelKey("byname", "1"));

        assertThat(engine.loads).isEmpty();
        assertThat(registry.isLoaded("byname", "1")).isFalse();
    }

    @Test
    void aRegistryKeepsToItsOwnLimits() throws IOException {
        ModelRegistry small = new ModelRegistry(store, engine, CLOCK, new ModelLimits(1 << 20, 7));
        byte[] onnx = CraftedModels.withInitializer(inline("W", 1f, 2f));

        var e = expect(REJECTED, "model", () -> small.register("m", descriptor(), onnx));

        assertThat(e.reason()).contains("over the limit of 7 bytes");
        assertThat(registry.register("m", descriptor(), onnx).version()).isEqualTo("1");
    }

    /** Writes a version straight into the store's directory, as an older build or a person might have. */
    private Path plant(String model, byte[] onnx) throws IOException {
        Path dir = Files.createDirectories(store.root().resolve(model).resolve("1"));
        Json.MAPPER.writeValue(dir.resolve(DirectoryModelStore.DESCRIPTOR).toFile(),
                descriptor().withIdentity(model, "1", ModelRegistry.sha256(onnx), null));
        return Files.write(dir.resolve(DirectoryModelStore.ARTIFACT), onnx);
    }

    @Test
    void theStoreWritesDataFilesWithTheVersionOrNothing() throws IOException {
        Path onnx = file("model", CraftedModels.withInitializer(external("W", "a/w.bin")));
        Path data = file("data", new byte[8]);
        ModelDescriptor d = descriptor().withIdentity("m", "1", null, null);

        store.write(d, new ModelArtifact(onnx, Map.of("a/w.bin", data, "b.bin", data)), null);

        Path version = store.root().resolve("m/1");
        assertThat(version.resolve("a/w.bin")).hasBinaryContent(new byte[8]);
        assertThat(version.resolve("b.bin")).hasBinaryContent(new byte[8]);

        // a data file that cannot be read leaves no version and no staging directory behind
        ModelDescriptor d2 = descriptor().withIdentity("m", "2", null, null);
        try {
            store.write(d2, new ModelArtifact(onnx, Map.of("w.bin", tmp.resolve("missing"))), null);
        } catch (UncheckedIOException expected) {
            // the store says it could not write
        }
        assertThat(store.versions("m")).containsExactly("1");
        try (Stream<Path> s = Files.list(store.root().resolve("m"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("1");
        }
    }

    @Test
    void aStoreThatKeepsOnlyTheOnnxFileRefusesDataFiles() throws IOException {
        Path onnx = file("model", CraftedModels.withInitializer(inline("W", 1f)));
        List<byte[]> written = new ArrayList<>();
        ModelStore onlyOnnx = new ModelStore() {
            public List<String> modelNames() {
                return List.of();
            }

            public List<String> versions(String model) {
                return List.of();
            }

            public java.util.Optional<ModelDescriptor> descriptor(String model, String version) {
                return java.util.Optional.empty();
            }

            public java.util.Optional<Path> artifact(String model, String version) {
                return java.util.Optional.empty();
            }

            public void write(ModelDescriptor descriptor, byte[] artifact, byte[] referenceProfile) {
                written.add(artifact);
            }

            public java.util.Optional<Path> referenceProfile(String model, String version) {
                return java.util.Optional.empty();
            }

            public Aliases readAliases(String model) {
                return Aliases.NONE;
            }

            public boolean replaceAliases(String model, String expectedTag, Map<String, String> aliases) {
                return true;
            }
        };

        onlyOnnx.write(descriptor(), ModelArtifact.of(onnx), null);
        expect(REJECTED, "external_data",
                () -> onlyOnnx.write(descriptor(), new ModelArtifact(onnx, Map.of("w.bin", onnx)), null));

        assertThat(written).hasSize(1);
        assertThat(written.get(0)).isEqualTo(Files.readAllBytes(onnx));
    }

    @Test
    void theCatalogImportsAModelWithTheDataFilesBesideIt() throws IOException {
        Path config = tmp.resolve("config");
        byte[] onnx = CraftedModels.withInitializer(external("W", "weights/w.bin"));
        Path artifact = catalogArtifact(config, onnx);
        Files.write(Files.createDirectories(artifact.resolve("weights")).resolve("w.bin"), CraftedModels.floats(1f, 2f));
        Files.write(artifact.resolve("notes.txt"), new byte[] {1});

        assertThat(catalog(config, onnx).seed(config, store)).containsExactly(new ModelKey("m", "1"));

        Path version = store.root().resolve("m/1");
        assertThat(version.resolve("weights/w.bin")).hasBinaryContent(CraftedModels.floats(1f, 2f));
        assertThat(version.resolve("notes.txt")).as("only the files the model names travel").doesNotExist();
    }

    @Test
    void theCatalogRefusesAnArtifactThatReachesOutAndImportsNothing() throws IOException {
        Path config = tmp.resolve("config");
        Files.write(tmp.resolve("secret.bin"), CraftedModels.floats(1f, 2f));
        byte[] byName = CraftedModels.withInitializer(external("W", "../../../../secret.bin"));
        catalogArtifact(config, byName);

        var e = expect(REJECTED, "model", () -> catalog(config, byName).seed(config, store));
        assertThat(e.reason()).contains("initializer 'W' stores its data outside the model file");

        byte[] byLink = CraftedModels.withInitializer(external("W", "w.bin"));
        Path artifact = catalogArtifact(config, byLink);
        Files.createSymbolicLink(artifact.resolve("w.bin"), tmp.resolve("secret.bin"));
        e = expect(REJECTED, "model", () -> catalog(config, byLink).seed(config, store, ModelLimits.DEFAULTS));
        assertThat(e.reason()).startsWith("catalog artifact ").contains("no such file travels with the model");

        assertThat(store.versions("m")).isEmpty();
        assertThat(store.aliases("m")).isEmpty();
    }

    private static Path catalogArtifact(Path config, byte[] onnx) throws IOException {
        Path dir = Files.createDirectories(config.resolve("models/m/1"));
        Files.write(dir.resolve(DirectoryModelStore.ARTIFACT), onnx);
        Json.MAPPER.writeValue(dir.resolve(DirectoryModelStore.DESCRIPTOR).toFile(), descriptor());
        return dir;
    }

    private static Catalog catalog(Path config, byte[] onnx) throws IOException {
        Files.writeString(config.resolve("models.yaml"), """
                models:
                  - name: m
                    target: function
                    versions:
                      - version: "1"
                        artifact: models/m/1
                        sha256: %s
                    aliases:
                      champion: "1"
                """.formatted(ModelRegistry.sha256(onnx)));
        return Catalog.read(config.resolve("models.yaml"));
    }
}
