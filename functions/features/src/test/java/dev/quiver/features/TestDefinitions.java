package dev.quiver.features;

import java.nio.file.Path;

/** The repository's {@code config/features.yaml}, as tests read it. */
public final class TestDefinitions {

    private TestDefinitions() {
    }

    /** The repository's root: {@code repo.root} when the build passes it, else two levels above this module. */
    public static Path repositoryRoot() {
        return Path.of(System.getProperty("repo.root", "../..")).toAbsolutePath().normalize();
    }

    /** The definitions file itself. */
    public static Path file() {
        return repositoryRoot().resolve("config/features.yaml");
    }

    /** The churn demo's batch source. */
    public static Path churnCsv() {
        return repositoryRoot().resolve("platform/tools/train/data/mlc_churn.csv");
    }
}
