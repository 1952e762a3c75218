package dev.quiver.testing.quarkus;

import dev.quiver.testing.files.Repository;
import dev.quiver.testing.files.TempDirectory;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/**
 * The predict function's stores for a test run, each in one fresh temporary folder deleted at the end: an empty model
 * store seeded at start from the repository's catalog ({@code config/models.yaml}), the repository's feature
 * definitions with an empty embedded online store that is loaded with the demo customers, and empty rollout, capture
 * and audit folders. Tests start from what a clean clone serves and never touch a developer's {@code .quiver}.
 * Extend it to point the function at other stores as well ({@link #start} returns the settings).
 */
public class TempModelStore implements QuarkusTestResourceLifecycleManager {

    private Path dir;

    @Override
    public Map<String, String> start() {
        dir = TempDirectory.create("quiver-store-");
        Path config = Repository.path("config");
        return Map.of("quiver.store.path", dir.resolve("models").toString(),
                "quiver.store.catalog", config.resolve("models.yaml").toString(),
                "quiver.features.definitions", config.resolve("features.yaml").toString(),
                "quiver.features.store.path", dir.resolve("features").toString(),
                "quiver.features.load-demo", "true",
                "quiver.rollouts.path", dir.resolve("rollouts").toString(),
                "quiver.capture.path", dir.resolve("capture").toString(),
                "quiver.audit.path", dir.resolve("audit").toString());
    }

    @Override
    public void stop() {
        TempDirectory.delete(dir);
    }
}
