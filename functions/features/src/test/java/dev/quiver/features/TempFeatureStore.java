package dev.quiver.features;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

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
        try {
            dir = Files.createTempDirectory("quiver-features-");
            return Map.of("quiver.features.store.path", dir.resolve("store").toString(),
                    "quiver.features.definitions", TestDefinitions.file().toString(),
                    "quiver.features.max-entities", String.valueOf(MAX_ENTITIES),
                    "quiver.features.load-demo", "true",
                    "quiver.audit.path", dir.resolve("audit").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        delete(dir);
    }

    static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
