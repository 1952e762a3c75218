package dev.quiver.testing.files;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's own files are ({@code config/}, {@code README.md}, the training data), for tests. */
public final class Repository {

    private Repository() {
    }

    /**
     * The repository's root: the {@code repo.root} system property, which the build passes to every test JVM, or else
     * the nearest folder at or above the working directory that holds {@code config/models.yaml}.
     *
     * @throws IllegalStateException when neither says where the repository is
     */
    public static Path root() {
        String property = System.getProperty("repo.root");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("config/models.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repo.root property and no config/models.yaml above "
                + Path.of("").toAbsolutePath());
    }

    /** {@code relative} under the repository's root. */
    public static Path path(String relative) {
        return root().resolve(relative);
    }
}
