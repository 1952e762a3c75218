package dev.quiver.registry;

import dev.quiver.testing.Artifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DirectoryModelStoreTest extends ModelStoreContract {

    @TempDir
    Path root;

    @Override
    protected DirectoryModelStore store() {
        return new DirectoryModelStore(root);
    }

    @Override
    protected ModelStore another() {
        return new DirectoryModelStore(root);
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
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("1", "aliases.json",
                    ".aliases.lock");
        }
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
