package dev.quiver.registry;

import dev.quiver.model.ModelDescriptor;
import dev.quiver.testing.Artifacts;
import dev.quiver.testing.Descriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static dev.quiver.error.QuiverException.Kind.CONFLICT;
import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;

class DirectoryModelStoreTest {

    @TempDir
    Path root;

    private DirectoryModelStore store() {
        return new DirectoryModelStore(root);
    }

    private static ModelDescriptor churn(String version) {
        return Descriptors.classifier().numbers(2).category("plan", "basic", "pro").stored("churn", version).build();
    }

    @Test
    void aWrittenVersionReadsBackWithItsArtifact() throws IOException {
        DirectoryModelStore store = store();
        ModelDescriptor d = churn("1");

        store.write(d, Artifacts.model("v1"));

        assertThat(store.descriptor("churn", "1")).contains(d);
        assertThat(Files.readAllBytes(store.artifact("churn", "1").orElseThrow())).isEqualTo(Artifacts.model("v1"));
        assertThat(store.modelNames()).containsExactly("churn");
        assertThat(new DirectoryModelStore(root).versions("churn")).containsExactly("1");
    }

    @Test
    void versionsAreListedNumericallyThenByName() {
        DirectoryModelStore store = store();
        for (String v : new String[] {"10", "beta", "2", "1"}) {
            store.write(churn(v), Artifacts.model(v));
        }

        assertThat(store.versions("churn")).containsExactly("1", "2", "10", "beta");
    }

    @Test
    void versionsAreImmutable() throws IOException {
        DirectoryModelStore store = store();
        store.write(churn("1"), Artifacts.model("first"));

        expect(CONFLICT, "version", () -> store.write(churn("1"), Artifacts.model("second")));

        assertThat(Files.readAllBytes(store.artifact("churn", "1").orElseThrow())).isEqualTo(Artifacts.model("first"));
    }

    @Test
    void aWriteLeavesNoStagingBehindAndReadersIgnoreHiddenDirectories() throws IOException {
        DirectoryModelStore store = store();
        store.write(churn("1"), Artifacts.model("v1"));
        Path crashed = root.resolve("churn").resolve(".staging-crashed");
        Files.createDirectories(crashed);
        Files.writeString(crashed.resolve(DirectoryModelStore.DESCRIPTOR), "{}");

        assertThat(store.versions("churn")).containsExactly("1");
        try (Stream<Path> files = Files.list(root.resolve("churn"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("1", ".staging-crashed");
        }
    }

    @Test
    void aliasesAreReplacedAsAWholeMap() throws IOException {
        DirectoryModelStore store = store();
        store.write(churn("1"), Artifacts.model("v1"));
        store.writeAliases("churn", Map.of("champion", "1", "challenger", "1"));

        store.writeAliases("churn", Map.of("champion", "1"));

        assertThat(new DirectoryModelStore(root).aliases("churn")).containsExactly(Map.entry("champion", "1"));
        try (Stream<Path> files = Files.list(root.resolve("churn"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("1", "aliases.json");
        }
    }

    @Test
    void anUnknownModelIsEmptyNotAnError() {
        DirectoryModelStore store = store();

        assertThat(store.modelNames()).isEmpty();
        assertThat(store.versions("nope")).isEmpty();
        assertThat(store.descriptor("nope", "1")).isEmpty();
        assertThat(store.artifact("nope", "1")).isEmpty();
        assertThat(store.aliases("nope")).isEmpty();
    }

    @Test
    void namesCannotReachOutsideTheRoot(@TempDir Path parent) {
        // <parent>/other/1 is a complete version; the store's root is <parent>/other/store, so ".." from the
        // root is <parent>/other, and "../1" would be that version
        DirectoryModelStore beside = new DirectoryModelStore(parent);
        beside.write(churn("1").withIdentity("other", "1", null, null), Artifacts.model("x"));
        beside.writeAliases("other", Map.of("champion", "1"));
        DirectoryModelStore store = new DirectoryModelStore(parent.resolve("other").resolve("store"));

        assertThat(store.versions("..")).isEmpty();
        assertThat(store.descriptor("..", "1")).isEmpty();
        assertThat(store.artifact("..", "1")).isEmpty();
        assertThat(store.aliases("..")).isEmpty();
    }
}
