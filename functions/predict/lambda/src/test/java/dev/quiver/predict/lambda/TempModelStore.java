package dev.quiver.predict.lambda;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A fresh, empty model store directory for each test run, seeded at start from the repository's catalog
 * ({@code config/models.yaml}), just as a cold Lambda fills {@code /tmp} from the catalog in its package.
 */
public class TempModelStore implements QuarkusTestResourceLifecycleManager {

    private Path store;

    @Override
    public Map<String, String> start() {
        try {
            store = Files.createTempDirectory("quiver-lambda-store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quiver.store.path", store.resolve("models").toString(),
                "quiver.store.catalog", catalog().toString(),
                "quiver.features.definitions", catalog().resolveSibling("features.yaml").toString(),
                "quiver.features.store.path", store.resolve("features").toString(),
                "quiver.features.load-demo", "true");
    }

    @Override
    public void stop() {
        if (store == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(store)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's catalog: under {@code repo.root} when the build passes it, else two levels above this module. */
    static Path catalog() {
        String root = System.getProperty("repo.root");
        Path base = root == null || root.isBlank() ? Path.of(System.getProperty("basedir", "."), "..", "..") : Path.of(root);
        Path catalog = base.resolve("config").resolve("models.yaml").toAbsolutePath().normalize();
        if (!Files.isRegularFile(catalog)) {
            throw new IllegalStateException("no model catalog at " + catalog);
        }
        return catalog;
    }
}
