package dev.quiver.s3.store;

import dev.quiver.testing.files.TempDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each option of {@link S3ModelStoreOptions} is checked, and a bad one is named in the refusal. */
class S3ModelStoreOptionsTest {

    private final Path cache = TempDirectory.create("s3-options-");

    @AfterEach
    void deleteCache() {
        TempDirectory.delete(cache);
    }

    private S3ModelStoreOptions valid() {
        return S3ModelStoreOptions.of("quiver-models", "eu-west-1", cache);
    }

    @Test
    void validOptionsPassWithANullPrefixReadAsEmpty() {
        S3ModelStoreOptions o = valid().withPrefix(null).withEndpoint(URI.create("https://s3.example.com:9000"), true)
                .validated();

        assertThat(o.prefix()).isEmpty();
        assertThat(o.pathStyle()).isTrue();
        assertThat(valid().withPrefix("teams/risk/").validated().prefix()).isEqualTo("teams/risk/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "Quiver-Models", "-models", "models-", "my..models", "my_models", "192.168.1.7"})
    void aBadBucketIsNamed(String bucket) {
        assertThatThrownBy(() -> new S3ModelStoreOptions(bucket, "", "eu-west-1", null, false, cache, null).validated())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("quiver.store.s3.bucket ");
    }

    @Test
    void aMissingBucketIsNamed() {
        assertThatThrownBy(() -> S3ModelStoreOptions.of(null, "eu-west-1", cache).validated())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("quiver.store.s3.bucket is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"models", "/models/", "models//", "../models/", "models/../", "./", ".hidden/", "a b/",
        "models\\x/"})
    void aPrefixThatIsNotPlainNamesEachEndedBySlashIsNamed(String prefix) {
        assertThatThrownBy(() -> valid().withPrefix(prefix).validated())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("quiver.store.s3.prefix ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "EU-WEST-1", "eu west 1", "-eu"})
    void aBadRegionIsNamed(String region) {
        assertThatThrownBy(() -> S3ModelStoreOptions.of("quiver-models", region, cache).validated())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("quiver.store.s3.region ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://s3.example.com", "s3.example.com", "http:/no-host", "http://h/?x=1", "http://u:p@h/",
        "http://h/#f"})
    void aBadEndpointIsNamed(String endpoint) {
        assertThatThrownBy(() -> valid().withEndpoint(URI.create(endpoint), true).validated())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("quiver.store.s3.endpoint ");
    }

    @Test
    void aMissingCacheDirIsNamed() {
        assertThatThrownBy(() -> S3ModelStoreOptions.of("quiver-models", "eu-west-1", null).validated())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("quiver.store.s3.cache-dir ");
    }

    @Test
    void aCacheDirThatCannotBeMadeIsNamedWhenTheStoreIsCreated() throws Exception {
        Path file = Files.writeString(cache.resolve("a-file"), "not a folder");

        assertThatThrownBy(() -> S3ModelStore.create(S3ModelStoreOptions.of("quiver-models", "eu-west-1",
                file.resolve("cache")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("quiver.store.s3.cache-dir ");
    }
}
