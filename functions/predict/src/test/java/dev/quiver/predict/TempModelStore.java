package dev.quiver.predict;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Gives each test run a fresh, empty model store seeded from the repository's own catalog, and a fresh embedded
 * online store loaded with the demo customers, so that tests start from what a clean clone serves and never
 * touch a developer's stores.
 */
public class TempModelStore implements QuarkusTestResourceLifecycleManager {

    private Path dir;

    public static Path repositoryRoot() {
        return Path.of(System.getProperty("repo.root", "../..")).toAbsolutePath().normalize();
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("quiver-store-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quiver.store.path", dir.resolve("models").toString(),
                "quiver.store.catalog", repositoryRoot().resolve("config/models.yaml").toString(),
                "quiver.features.definitions", repositoryRoot().resolve("config/features.yaml").toString(),
                "quiver.features.store.path", dir.resolve("features").toString(),
                "quiver.rollouts.path", dir.resolve("rollouts").toString(),
                "quiver.capture.path", dir.resolve("capture").toString(),
                "quiver.audit.path", dir.resolve("audit").toString());
    }

    @Override
    public void stop() {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
