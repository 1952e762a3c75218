package dev.quiver.features.lambda;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An empty embedded store in a fresh temporary directory, as a cold Lambda has in {@code /tmp}, and the
 * repository's {@code config/features.yaml} in place of the layer's copy under {@code /opt}.
 */
public class LambdaTestStore implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String root = System.getProperty("repo.root", "../../..");
        Path definitions = Path.of(root, "config", "features.yaml").toAbsolutePath().normalize();
        try {
            Path store = Files.createTempDirectory("quiver-features-lambda");
            store.toFile().deleteOnExit();
            return Map.of("quiver.features.definitions", definitions.toString(),
                    "quiver.features.store.path", store.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // the store is a few lines in a temporary directory
    }
}
