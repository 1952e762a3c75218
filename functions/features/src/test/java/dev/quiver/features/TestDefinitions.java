package dev.quiver.features;

import dev.quiver.testing.files.Repository;
import java.nio.file.Path;

/** The repository's {@code config/features.yaml}, as tests read it. */
public final class TestDefinitions {

    private TestDefinitions() {
    }

    /** The definitions file itself. */
    public static Path file() {
        return Repository.path("config/features.yaml");
    }

    /** The churn demo's batch source. */
    public static Path churnCsv() {
        return Repository.path("platform/tools/train/data/mlc_churn.csv");
    }
}
