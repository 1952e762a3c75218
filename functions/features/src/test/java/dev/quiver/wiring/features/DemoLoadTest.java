package dev.quiver.wiring.features;

import dev.quiver.feature.EntityKey;
import dev.quiver.feature.FeatureDefinitions;
import dev.quiver.feature.FeatureRow;
import dev.quiver.feature.FeatureView;
import dev.quiver.feature.FileOnlineStore;
import dev.quiver.feature.FeatureWriter;
import dev.quiver.features.TestDefinitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo load at start: the demo customers go into an embedded store nothing was ever written to; a store that
 * holds anything is left as it is.
 */
class DemoLoadTest {

    private static final String VIEW = "churn_features";

    @TempDir
    Path dir;

    private final FeatureDefinitions defs = FeatureDefinitions.read(TestDefinitions.file());

    @Test
    void loadsTheDemoCustomersIntoAStoreNothingWasEverWrittenTo() {
        try (FileOnlineStore store = new FileOnlineStore(dir, defs, false)) {
            new DemoLoad().load(null, config(true), features(store));

            assertThat(store.size(VIEW)).isEqualTo(5000);
        }
    }

    @Test
    void leavesAStoreThatWasWrittenBeforeAsItIs() {
        FeatureView view = defs.views().stream().filter(v -> v.name().equals(VIEW)).findFirst().orElseThrow();
        try (FileOnlineStore first = new FileOnlineStore(dir, defs)) {
            first.write(view, List.of(new FeatureRow(EntityKey.of("customer_id", 990_001L),
                    Instant.parse("2026-11-01T00:00:00Z"), Map.of("state", "NY"))));
        }

        try (FileOnlineStore store = new FileOnlineStore(dir, defs, false)) {
            new DemoLoad().load(null, config(true), features(store));

            assertThat(store.size(VIEW)).as("the pushed row only: the demo's 5,000 were not added").isEqualTo(1);
        }
    }

    @Test
    void loadsNothingWhenTheDemoLoadIsOff() {
        try (FileOnlineStore store = new FileOnlineStore(dir, defs, false)) {
            new DemoLoad().load(null, config(false), features(store));

            assertThat(store.neverWritten()).isTrue();
        }
    }

    private FeatureWriter features(FileOnlineStore store) {
        return new FeatureWriter(defs, store, 100);
    }

    /** Only {@code loadDemo} is read by the demo load; any other setting asked for fails the test. */
    private static FeatureStoreConfig config(boolean loadDemo) {
        return (FeatureStoreConfig) Proxy.newProxyInstance(FeatureStoreConfig.class.getClassLoader(),
                new Class<?>[] {FeatureStoreConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("loadDemo")) {
                        return loadDemo;
                    }
                    throw new UnsupportedOperationException("the demo load read " + method.getName());
                });
    }
}
