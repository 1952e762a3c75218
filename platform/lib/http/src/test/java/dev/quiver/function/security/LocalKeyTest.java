package dev.quiver.function.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalKeyTest {

    @Test
    void theFirstStartMakesAPrivateKeyAndLaterStartsReadIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".quiver/deploy-key");
        LocalKey.Loaded made = LocalKey.readOrMake(file);
        assertThat(made.made()).isTrue();
        assertThat(made.key()).startsWith("qk_").hasSize(46);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file).trim()).isEqualTo(made.key());

        LocalKey.Loaded again = LocalKey.readOrMake(file);
        assertThat(again.made()).isFalse();
        assertThat(again.key()).isEqualTo(made.key());
        try (var s = Files.list(file.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).as("no temporary file is left")
                    .containsExactly("deploy-key");
        }
    }

    @Test
    void functionsStartingTogetherAgreeOnOneKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("deploy-key");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<LocalKey.Loaded>> starts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                starts.add(() -> LocalKey.readOrMake(file));
            }
            Set<String> keys = new HashSet<>();
            int made = 0;
            for (Future<LocalKey.Loaded> f : pool.invokeAll(starts)) {
                keys.add(f.get().key());
                made += f.get().made() ? 1 : 0;
            }
            assertThat(keys).hasSize(1);
            assertThat(made).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeyOthersCanReadIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("deploy-key");
        LocalKey.readOrMake(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> LocalKey.readOrMake(file)).hasMessageContaining("can be read by others")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void keysAreKnownByTheirHashOnly() {
        ApiKeys keys = new ApiKeys();
        String key = LocalKey.newKey();
        keys.add("ci", ApiKeys.sha256(key), Set.of(Role.DEPLOY), "test");
        assertThat(keys.find(key).subject()).isEqualTo("ci");
        assertThat(keys.find(key).roles()).containsExactly(Role.DEPLOY);
        assertThat(keys.find(key + "x")).isNull();
        assertThat(keys.find(ApiKeys.sha256(key))).as("the hash is not a key").isNull();
        assertThatThrownBy(() -> keys.add("again", ApiKeys.sha256(key), Set.of(Role.WRITE), "where"))
                .hasMessageContaining("also configured as 'ci'");
        assertThatThrownBy(() -> keys.add("short", "abc", Set.of(Role.WRITE), "quiver.security.api-keys.short"))
                .hasMessageContaining("quiver.security.api-keys.short").hasMessageContaining("64 hex digits");
    }
}
