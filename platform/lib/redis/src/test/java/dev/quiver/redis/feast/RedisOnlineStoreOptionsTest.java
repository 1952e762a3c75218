package dev.quiver.redis.feast;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisOnlineStoreOptionsTest {

    @Test
    void defaultsAreFeastsAndTheDocumentedOnes() {
        RedisOnlineStoreOptions o = RedisOnlineStoreOptions.of("demo");

        assertThat(o.uri()).isEqualTo("redis://localhost:6379");
        assertThat(o.project()).isEqualTo("demo");
        assertThat(o.timeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(o.failureThreshold()).isEqualTo(5);
        assertThat(o.openDuration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.keyTtl()).isEqualTo(Duration.ZERO);
        assertThat(o.entityKeySerializationVersion()).isEqualTo(3);
        assertThat(o.poolSize()).isEqualTo(4);
        assertThat(o.tracer()).isNotNull();
    }

    @Test
    void eachInvalidOptionIsNamed() {
        assertThatThrownBy(() -> RedisOnlineStoreOptions.builder(" ").build()).hasMessage("project: is required");
        assertThatThrownBy(() -> RedisOnlineStoreOptions.builder("p").uri("http://localhost").build())
                .hasMessageStartingWith("uri: must be redis://");
        assertThatThrownBy(() -> RedisOnlineStoreOptions.builder("p").uri("redis://").build())
                .hasMessageStartingWith("uri:");
        assertThatThrownBy(() -> RedisOnlineStoreOptions.builder("p").timeout(Duration.ZERO).build())
                .hasMessageStartingWith("timeout: must be at least 1 ms");
        assertThatThrownBy(() -> RedisOnlineStoreOptions.builder("p").failureThreshold(0).build())
                .hasMessageStartingWith("failureThreshold:");
        assertThatThrownBy(() -> RedisOnlineStoreOptions.builder("p").openDuration(Duration.ofMillis(-1)).build())
                .hasMessageStartingWith("openDuration:");
        assertThatThrownBy(() -> RedisOnlineStoreOptions.builder("p").keyTtl(Duration.ofNanos(10)).build())
                .hasMessageStartingWith("keyTtl:");
        assertThatThrownBy(() -> RedisOnlineStoreOptions.builder("p").entityKeySerializationVersion(0).build())
                .hasMessage("entityKeySerializationVersion: must be 1, 2 or 3, not 0");
        assertThatThrownBy(() -> RedisOnlineStoreOptions.builder("p").entityKeySerializationVersion(4).build())
                .hasMessage("entityKeySerializationVersion: must be 1, 2 or 3, not 4");
        for (int version = 1; version <= 3; version++) {
            assertThat(RedisOnlineStoreOptions.builder("p").entityKeySerializationVersion(version).build()
                    .entityKeySerializationVersion()).isEqualTo(version);
        }
        assertThatThrownBy(() -> RedisOnlineStoreOptions.builder("p").poolSize(0).build())
                .hasMessageStartingWith("poolSize:");
    }

    @Test
    void credentialsNeverReachMessages() {
        RedisOnlineStoreOptions o = RedisOnlineStoreOptions.builder("p")
                .uri("redis://default:s3cret@cache.internal:6380/2").build();
        assertThat(o.redactedUri()).isEqualTo("redis://cache.internal:6380/2");
        assertThat(o.toString()).contains("redis://cache.internal:6380/2").doesNotContain("s3cret");

        assertThatThrownBy(() -> RedisOnlineStoreOptions.builder("p").uri("http://user:s3cret@cache").build())
                .hasMessageNotContaining("s3cret");
    }
}
