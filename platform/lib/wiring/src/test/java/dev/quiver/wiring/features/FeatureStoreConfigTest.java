package dev.quiver.wiring.features;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link FeatureStoreConfig} as SmallRye Config maps it at start, and the Redis options it gives. */
class FeatureStoreConfigTest {

    private static final String VERSION = "quiver.features.redis.entity-key-serialization-version";

    private static FeatureStoreConfig config(Map<String, String> properties) {
        // Quarkus reads durations such as 50ms with its own converter, which a plain SmallRye Config lacks
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(FeatureStoreConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        return config.getConfigMapping(FeatureStoreConfig.class);
    }

    @Test
    void theEntityKeySerializationVersionIsFeastsDefaultThreeUnlessSet() {
        assertThat(FeatureStoreWiring.redisOptions(config(Map.of()).redis(), "p", null)
                .entityKeySerializationVersion()).isEqualTo(3);
        for (String version : new String[] {"1", "2", "3", " 1 "}) {
            assertThat(FeatureStoreWiring.redisOptions(config(Map.of(VERSION, version)).redis(), "p", null)
                    .entityKeySerializationVersion()).as(version).isEqualTo(Integer.parseInt(version.strip()));
        }
    }

    @Test
    void anyOtherVersionStopsTheStartNamingTheKeyAndTheValue() {
        for (String version : new String[] {"0", "4", "-1", "three", "2.0"}) {
            assertThatThrownBy(() -> config(Map.of(VERSION, version))).as(version)
                    .hasMessageContaining(VERSION)
                    .hasMessageContaining("must be 1, 2 or 3 (Feast's entity_key_serialization_version of the store), "
                            + "not '" + version + "'");
        }
    }
}
