package dev.quiver.testing.quarkus;

import dev.quiver.testing.files.Repository;
import dev.quiver.testing.files.TempDirectory;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/**
 * An empty embedded online store in a fresh temporary directory, as a cold Lambda has in {@code /tmp}, and the
 * repository's {@code config/features.yaml} in place of the layer's copy under {@code /opt}: for the features
 * function's Lambda builds.
 */
public class TempFeatureStore implements QuarkusTestResourceLifecycleManager {

    private Path store;

    @Override
    public Map<String, String> start() {
        store = TempDirectory.create("quiver-features-lambda");
        return Map.of("quiver.features.definitions", Repository.path("config/features.yaml").toString(),
                "quiver.features.store.path", store.toString());
    }

    @Override
    public void stop() {
        TempDirectory.delete(store);
    }
}
