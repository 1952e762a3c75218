package dev.quiver.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The functions' configuration as a Lambda layer: {@code config/} copied under {@code quiver/config/}, which
 * Lambda mounts at {@code /opt/quiver/config}, where the Lambda builds' application.properties read the model
 * catalog, features.yaml, drift.yaml and agents.yaml.
 */
final class ConfigLayer {

    private ConfigLayer() {
    }

    /** A fresh directory holding {@code quiver/config/} with a copy of {@code config}, for the layer's asset. */
    static Path stage(Path config) {
        try {
            Path root = Files.createTempDirectory("quiver-config-layer");
            Path target = root.resolve("quiver/config");
            try (Stream<Path> files = Files.walk(config)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path to = target.resolve(config.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else if (Files.isRegularFile(p)) {
                        Files.createDirectories(to.getParent());
                        Files.copy(p, to);
                    }
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the configuration layer from " + config, e);
        }
    }
}
