package dev.quiver.redis.feast;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a caller of {@link RedisOnlineStoreOptions} relies on: an option left unset takes its documented default, one
 * that is set replaces that default alone, an invalid one fails naming it, and credentials stay out of messages.
 */
class RedisOnlineStoreOptionsTest {

    @Test
    void optionsLeftUnsetTakeTheDocumentedDefaults() {
        RedisOnlineStoreOptions o = RedisOnlineStoreOptions.of("demo");

        assertThat(o).isEqualTo(new RedisOnlineStoreOptions(RedisOnlineStoreOptions.DEFAULT_URI, "demo",
                RedisOnlineStoreOptions.DEFAULT_TIMEOUT, RedisOnlineStoreOptions.DEFAULT_FAILURE_THRESHOLD,
                RedisOnlineStoreOptions.DEFAULT_OPEN_DURATION, RedisOnlineStoreOptions.DEFAULT_KEY_TTL,
                RedisOnlineStoreOptions.DEFAULT_ENTITY_KEY_SERIALIZATION_VERSION,
                RedisOnlineStoreOptions.DEFAULT_POOL_SIZE, o.tracer()));
        assertThat(RedisOnlineStoreOptions.builder("demo").build()).isEqualTo(o);
    }

    @Test
    void theDefaultsReadWhatFeastWritesWithItsOwnDefaults() {
        RedisOnlineStoreOptions o = RedisOnlineStoreOptions.of("demo");

        // Feast's RedisOnlineStoreConfig connects to localhost:6379 unless told otherwise
        URI server = URI.create(o.uri());
        assertThat(server.getHost()).isEqualTo("localhost");
        assertThat(server.getPort()).isEqualTo(6379);
        // Feast 0.50 and later materialize with entity key serialization version 3 unless told otherwise
        assertThat(o.entityKeySerializationVersion()).isEqualTo(3);
        // Feast sets no expiry unless key_ttl_seconds is set
        assertThat(o.keyTtl()).isZero();
        // the default tracer records nothing: a span it starts is not sampled and has no valid context
        assertThat(o.tracer().spanBuilder("call").startSpan().getSpanContext().isValid()).isFalse();
    }

    @Test
    void anOptionThatIsSetReplacesItsDefaultAndNothingElse() {
        RedisOnlineStoreOptions defaults = RedisOnlineStoreOptions.of("demo");
        Map<String, UnaryOperator<RedisOnlineStoreOptions.Builder>> setters = new LinkedHashMap<>();
        setters.put("uri", b -> b.uri("rediss://cache.internal:6380/2"));
        setters.put("timeout", b -> b.timeout(Duration.ofMillis(250)));
        setters.put("failureThreshold", b -> b.failureThreshold(9));
        setters.put("openDuration", b -> b.openDuration(Duration.ofSeconds(7)));
        setters.put("keyTtl", b -> b.keyTtl(Duration.ofHours(1)));
        setters.put("entityKeySerializationVersion", b -> b.entityKeySerializationVersion(2));
        setters.put("poolSize", b -> b.poolSize(16));

        setters.forEach((option, set) -> {
            RedisOnlineStoreOptions changed = set.apply(RedisOnlineStoreOptions.builder("demo")).build();
            assertThat(changed).as(option).usingRecursiveComparison().ignoringFields(option, "tracer")
                    .isEqualTo(defaults);
            assertThat(changed).as(option).usingRecursiveComparison().comparingOnlyFields(option)
                    .isNotEqualTo(defaults);
        });
    }

    @Test
    void eachInvalidOptionFailsNamingIt() {
        Map<String, UnaryOperator<RedisOnlineStoreOptions.Builder>> invalid = new LinkedHashMap<>();
        invalid.put("uri: must be redis://", b -> b.uri("http://localhost"));
        invalid.put("uri: 'redis://' is not a URI", b -> b.uri("redis://"));
        invalid.put("uri: must name a host", b -> b.uri("redis://:6379"));
        invalid.put("timeout: must be at least 1 ms", b -> b.timeout(Duration.ZERO));
        invalid.put("timeout: must be at least 1 ms, not null", b -> b.timeout(null));
        invalid.put("failureThreshold: must be at least 1", b -> b.failureThreshold(0));
        invalid.put("openDuration: must be at least 1 ms", b -> b.openDuration(Duration.ofMillis(-1)));
        invalid.put("keyTtl: must be zero (no expiry) or at least 1 ms", b -> b.keyTtl(Duration.ofNanos(10)));
        invalid.put("entityKeySerializationVersion: must be 1, 2 or 3, not 0", b -> b.entityKeySerializationVersion(0));
        invalid.put("entityKeySerializationVersion: must be 1, 2 or 3, not 4", b -> b.entityKeySerializationVersion(4));
        invalid.put("poolSize: must be at least 1", b -> b.poolSize(0));

        assertThatThrownBy(() -> RedisOnlineStoreOptions.builder(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("project: is required");
        invalid.forEach((message, set) -> assertThatThrownBy(() -> set.apply(RedisOnlineStoreOptions.builder("p"))
                .build()).as(message).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message));
    }

    @Test
    void theSmallestValidValuesAreAccepted() {
        RedisOnlineStoreOptions o = RedisOnlineStoreOptions.builder("p").timeout(Duration.ofMillis(1))
                .failureThreshold(1).openDuration(Duration.ofMillis(1)).keyTtl(Duration.ofMillis(1)).poolSize(1)
                .build();

        assertThat(o.timeout()).isEqualTo(Duration.ofMillis(1));
        assertThat(o.failureThreshold()).isEqualTo(1);
        assertThat(o.openDuration()).isEqualTo(Duration.ofMillis(1));
        assertThat(o.keyTtl()).isEqualTo(Duration.ofMillis(1));
        assertThat(o.poolSize()).isEqualTo(1);
        for (int version = 1; version <= 3; version++) {
            assertThat(RedisOnlineStoreOptions.builder("p").entityKeySerializationVersion(version).build()
                    .entityKeySerializationVersion()).isEqualTo(version);
        }
        assertThat(RedisOnlineStoreOptions.builder("p").uri("rediss://cache.internal").build().uri())
                .isEqualTo("rediss://cache.internal");
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
