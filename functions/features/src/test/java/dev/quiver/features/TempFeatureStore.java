package dev.quiver.features;

import dev.quiver.testing.files.TempDirectory;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/**
 * Gives a test run a fresh, empty embedded store in a temporary directory, never the repository's
 * {@code .quiver}, and the repository's own feature definitions, so the demo load at start is the real one. At
 * most {@value #MAX_ENTITIES} entities a call.
 */
public class TempFeatureStore implements QuarkusTestResourceLifecycleManager {

    /** The entity limit the tests run with, so that the 413 test sends little. */
    public static final int MAX_ENTITIES = 100;

    private Path dir;

    @Override
    public Map<String, String> start() {
        dir = TempDirectory.create("quiver-features-");
        return Map.of("quiver.features.store.path", dir.resolve("store").toString(),
                "quiver.features.definitions", TestDefinitions.file().toString(),
                "quiver.features.max-entities", String.valueOf(MAX_ENTITIES),
                "quiver.features.load-demo", "true",
                "quiver.audit.path", dir.resolve("audit").toString());
    }

    @Override
    public void stop() {
        TempDirectory.delete(dir);
    }
}
