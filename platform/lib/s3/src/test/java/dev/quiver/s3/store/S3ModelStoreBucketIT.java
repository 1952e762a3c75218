package dev.quiver.s3.store;

import dev.quiver.error.QuiverException;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.registry.ModelArtifact;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.testing.Artifacts;
import dev.quiver.testing.Descriptors;
import dev.quiver.testing.files.TempDirectory;
import dev.quiver.testing.net.Ports;
import dev.quiver.testing.s3.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static dev.quiver.error.QuiverException.Kind.BAD_INPUT;
import static dev.quiver.error.QuiverException.Kind.CONFLICT;
import static dev.quiver.error.QuiverException.Kind.REJECTED;
import static dev.quiver.error.QuiverException.Kind.UNAVAILABLE;
import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What {@link S3ModelStore} does in a bucket beyond the contract every store keeps: its layout, the checks on read,
 * unfinished writes, long listings and an S3 that cannot be reached. Against a real S3-compatible server; each test
 * works under a key prefix of its own.
 */
class S3ModelStoreBucketIT {

    private static S3Server server;
    private static S3Client raw;
    private static int tests;

    private final List<S3ModelStore> stores = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void startServer() {
        server = S3Server.start("models");
        raw = TestS3.client(server);
    }

    @AfterAll
    static void stopServer() {
        raw.close();
        server.close();
    }

    @BeforeEach
    void freshPrefix() {
        prefix = "bucket-" + (++tests) + "/";
    }

    @AfterEach
    void cleanUp() {
        stores.forEach(S3ModelStore::close);
        dirs.forEach(TempDirectory::delete);
    }

    @Test
    void aVersionIsKeptInTheDirectoryStoresLayoutUnderThePrefix() throws IOException {
        S3ModelStore store = open();
        store.write(churn("1"), artifactWithExternalData(Map.of("weights/w.bin", "weights")), profile());
        store.writeAliases("churn", Map.of("champion", "1"));

        assertThat(keys(prefix)).containsExactly(
                prefix + "churn/1/.manifest.json",
                prefix + "churn/1/descriptor.json",
                prefix + "churn/1/model.onnx",
                prefix + "churn/1/reference-profile.json",
                prefix + "churn/1/weights/w.bin",
                prefix + "churn/aliases.json");
        assertThat(get(prefix + "churn/1/model.onnx")).isEqualTo(Artifacts.model("v1"));
        assertThat(new String(get(prefix + "churn/aliases.json"), StandardCharsets.UTF_8)).contains("\"champion\"");
    }

    @Test
    void externalDataFilesAreServedAtTheirRelativeLocationsBesideTheModel() throws IOException {
        store().write(churn("1"), artifactWithExternalData(Map.of("weights/w.bin", "weights", "bias.bin", "bias")),
                null);

        Path model = open().artifact("churn", "1").orElseThrow();

        assertThat(model.getFileName().toString()).isEqualTo("model.onnx");
        assertThat(Files.readAllBytes(model)).isEqualTo(Artifacts.model("v1"));
        assertThat(Files.readString(model.resolveSibling("weights/w.bin"))).isEqualTo("weights");
        assertThat(Files.readString(model.resolveSibling("bias.bin"))).isEqualTo("bias");
    }

    @Test
    void aTamperedArtifactIsRefusedOnReadAndLeavesNothingInTheCache() throws IOException {
        store().write(withSha(churn("1"), Artifacts.model("v1")), Artifacts.model("v1"));
        raw.putObject(r -> r.bucket(server.bucket()).key(prefix + "churn/1/model.onnx"),
                RequestBody.fromBytes(Artifacts.model("evil")));
        Path cache = newDir();
        S3ModelStore reader = open(cache);

        QuiverException e = expect(REJECTED, "sha256", () -> reader.artifact("churn", "1"));

        assertThat(e.reason()).contains(ModelRegistry.sha256(Artifacts.model("evil")));
        assertThat(filesUnder(cache)).isEmpty();
        expect(REJECTED, "sha256", () -> reader.artifact("churn", "1"));
    }

    @Test
    void aTamperedExternalDataFileIsRefusedAgainstTheManifest() {
        store().write(churn("1"), artifactWithExternalData(Map.of("weights/w.bin", "weights")), null);
        raw.putObject(r -> r.bucket(server.bucket()).key(prefix + "churn/1/weights/w.bin"),
                RequestBody.fromString("other weights"));
        Path cache = newDir();

        expect(REJECTED, "sha256", () -> open(cache).artifact("churn", "1"));

        assertThat(filesUnder(cache)).isEmpty();
    }

    @Test
    void aCachedArtifactIsServedWithoutDownloadingItAgain() throws IOException {
        store().write(withSha(churn("1"), Artifacts.model("v1")), Artifacts.model("v1"));
        S3ModelStore reader = open();
        Path first = reader.artifact("churn", "1").orElseThrow();
        raw.deleteObject(r -> r.bucket(server.bucket()).key(prefix + "churn/1/model.onnx"));

        Path again = reader.artifact("churn", "1").orElseThrow();

        assertThat(again).isEqualTo(first);
        assertThat(Files.readAllBytes(again)).isEqualTo(Artifacts.model("v1"));
        expect(REJECTED, "model", () -> open().artifact("churn", "1"));
    }

    @Test
    void aVersionWhoseWriterStoppedBeforeItsDescriptorIsNotThereAndCannotBeOverwritten() {
        S3ModelStore store = store();
        store.write(churn("1"), Artifacts.model("v1"));
        // what a writer that crashed after its claim and its ONNX file leaves
        raw.putObject(r -> r.bucket(server.bucket()).key(prefix + "churn/2/.manifest.json"),
                RequestBody.fromString("{\"writer\":\"crashed\",\"started_at\":\"2026-01-01T00:00:00Z\",\"files\":{}}"));
        raw.putObject(r -> r.bucket(server.bucket()).key(prefix + "churn/2/model.onnx"),
                RequestBody.fromBytes(Artifacts.model("half")));
        S3ModelStore reader = open();

        assertThat(reader.versions("churn")).containsExactly("1");
        assertThat(reader.descriptor("churn", "2")).isEmpty();
        assertThat(reader.artifact("churn", "2")).isEmpty();
        assertThat(reader.referenceProfile("churn", "2")).isEmpty();
        QuiverException e = expect(CONFLICT, "version", () -> reader.write(churn("2"), Artifacts.model("v2")));
        assertThat(e.reason()).contains("did not finish").contains(prefix + "churn/2/");
    }

    @Test
    void aModelWithOnlyAnUnfinishedVersionIsNotListed() {
        raw.putObject(r -> r.bucket(server.bucket()).key(prefix + "ghost/1/.manifest.json"),
                RequestBody.fromString("{}"));
        raw.putObject(r -> r.bucket(server.bucket()).key(prefix + "ghost/1/model.onnx"),
                RequestBody.fromBytes(Artifacts.model("half")));

        assertThat(store().modelNames()).isEmpty();
    }

    @Test
    void moreThanAThousandKeysAreListedPageByPage() throws IOException {
        S3ModelStore store = store();
        Map<String, String> data = new LinkedHashMap<>();
        for (int i = 0; i < 1_001; i++) {
            data.put(String.format("data/part-%04d.bin", i), "part " + i);
        }
        store.write(churn("1"), artifactWithExternalData(data), null);
        store.write(churn("2"), Artifacts.model("v2"));
        store.write(Descriptors.classifier().numbers(1).stored("zeta", "1").build(), Artifacts.model("z1"));
        assertThat(keys(prefix)).hasSizeGreaterThan(1_000);

        S3ModelStore reader = open();

        assertThat(reader.versions("churn")).containsExactly("1", "2");
        assertThat(reader.modelNames()).containsExactly("churn", "zeta");
        Path model = reader.artifact("churn", "1").orElseThrow();
        assertThat(Files.readString(model.resolveSibling("data/part-1000.bin"))).isEqualTo("part 1000");
        try (Stream<Path> parts = Files.list(model.resolveSibling("data"))) {
            assertThat(parts.count()).isEqualTo(1_001);
        }
    }

    @Test
    void namesThatCouldLeaveTheModelsPlaceAreRefusedOrNotFound() {
        S3ModelStore store = store();
        store.write(churn("1"), Artifacts.model("v1"));

        assertThat(store.versions("..")).isEmpty();
        assertThat(store.descriptor("churn", "..")).isEmpty();
        assertThat(store.descriptor("churn/1", "1")).isEmpty();
        assertThat(store.artifact("..", "churn")).isEmpty();
        assertThat(store.readAliases("../churn")).isEqualTo(dev.quiver.registry.ModelStore.Aliases.NONE);
        expect(BAD_INPUT, "descriptor.name", () -> store.write(
                Descriptors.classifier().numbers(1).stored("..", "1").build(), Artifacts.model("x")));
        expect(BAD_INPUT, "descriptor.version", () -> store.write(churn("../2"), Artifacts.model("x")));
        expect(BAD_INPUT, "model", () -> store.replaceAliases("a/b", null, Map.of()));
        assertThat(keys(prefix)).allMatch(k -> k.startsWith(prefix + "churn/1/"));
    }

    @Test
    void aDescriptorWhoseSha256IsNotTheArtifactsIsRefusedBeforeAnythingIsWritten() {
        S3ModelStore store = store();

        expect(REJECTED, "descriptor.sha256", () -> store.write(withSha(churn("1"), Artifacts.model("other")),
                Artifacts.model("v1")));

        assertThat(keys(prefix)).isEmpty();
    }

    @Test
    void ofInstancesWritingTheSameVersionAtOnceExactlyOneWins() throws Exception {
        assumeTrue(TestS3.honoursConditionalWrites(raw, server.bucket()),
                "the test S3 server (s3proxy 2.6.0) writes a PUT whose If-None-Match: * fails instead of answering "
                        + "412; see S3ProxyConditionalWritesIT");
        int n = 6;
        List<S3ModelStore> instances = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            instances.add(open());
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> wins = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                S3ModelStore s = instances.get(i);
                byte[] bytes = Artifacts.model("w" + i);
                wins.add(pool.submit(() -> {
                    go.await();
                    try {
                        s.write(churn("1"), bytes);
                        return true;
                    } catch (QuiverException e) {
                        assertThat(e.kind()).isEqualTo(CONFLICT);
                        return false;
                    }
                }));
            }
            go.countDown();
            int winner = -1;
            for (int i = 0; i < n; i++) {
                if (wins.get(i).get()) {
                    assertThat(winner).as("a second winner").isEqualTo(-1);
                    winner = i;
                }
            }
            assertThat(winner).isNotEqualTo(-1);
            assertThat(Files.readAllBytes(open().artifact("churn", "1").orElseThrow()))
                    .isEqualTo(Artifacts.model("w" + winner));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anEndpointThatCannotBeReachedIsUnavailableNamingTheBucket() {
        URI nobody = URI.create("http://127.0.0.1:" + Ports.freeLoopbackPort());
        S3ModelStore store = open(TestS3.options(server, prefix, newDir()).withEndpoint(nobody, true));

        QuiverException e = expect(UNAVAILABLE, null, () -> store.versions("churn"));

        assertThat(e.reason()).contains("'" + server.bucket() + "'").contains("cannot be reached");
        expect(UNAVAILABLE, null, () -> store.write(churn("1"), Artifacts.model("v1")));
    }

    @Test
    void aBucketThatDoesNotExistIsUnavailableNamingIt() {
        S3ModelStoreOptions elsewhere = TestS3.options(server, prefix, newDir());
        S3ModelStore store = open(new S3ModelStoreOptions("no-such-bucket", prefix, elsewhere.region(),
                elsewhere.endpoint(), true, elsewhere.cacheDir(), elsewhere.credentials()));

        QuiverException e = expect(UNAVAILABLE, null, store::modelNames);

        assertThat(e.reason()).contains("'no-such-bucket'");
    }

    // ------------------------------------------------------------------------------------------------ builders

    private static ModelDescriptor churn(String version) {
        return Descriptors.classifier().numbers(2).category("plan", "basic", "pro").stored("churn", version).build();
    }

    private static ModelDescriptor withSha(ModelDescriptor d, byte[] artifact) {
        return d.withIdentity(d.name(), d.version(), ModelRegistry.sha256(artifact), d.createdAt());
    }

    private static byte[] profile() {
        return "{\"profile\":1}".getBytes(StandardCharsets.UTF_8);
    }

    /** The ONNX bytes of {@code Artifacts.model("v1")} with external data files of the given text, by location. */
    private ModelArtifact artifactWithExternalData(Map<String, String> files) {
        Path dir = newDir();
        try {
            Path model = Files.write(dir.resolve("model.onnx"), Artifacts.model("v1"));
            Map<String, Path> data = new LinkedHashMap<>();
            int i = 0;
            for (Map.Entry<String, String> f : files.entrySet()) {
                data.put(f.getKey(), Files.writeString(dir.resolve("data-" + i++), f.getValue()));
            }
            return new ModelArtifact(model, data);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private S3ModelStore store() {
        return open();
    }

    private S3ModelStore open() {
        return open(newDir());
    }

    private S3ModelStore open(Path cache) {
        return open(TestS3.options(server, prefix, cache));
    }

    private S3ModelStore open(S3ModelStoreOptions options) {
        S3ModelStore store = S3ModelStore.create(options);
        stores.add(store);
        return store;
    }

    private Path newDir() {
        Path dir = TempDirectory.create("s3-store-");
        dirs.add(dir);
        return dir;
    }

    /** The objects' keys under {@code keyPrefix}, in order. */
    private static List<String> keys(String keyPrefix) {
        List<String> keys = new ArrayList<>();
        for (S3Object o : raw.listObjectsV2Paginator(r -> r.bucket(server.bucket()).prefix(keyPrefix)).contents()) {
            // s3proxy's filesystem backend also lists the folders that hold objects, as keys ending in '/'
            if (!o.key().endsWith("/")) {
                keys.add(o.key());
            }
        }
        return keys;
    }

    private static byte[] get(String key) {
        return raw.getObjectAsBytes(r -> r.bucket(server.bucket()).key(key)).asByteArray();
    }

    private static List<Path> filesUnder(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
