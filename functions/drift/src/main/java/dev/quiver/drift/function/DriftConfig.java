package dev.quiver.drift.function;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The drift function's settings. */
@ConfigMapping(prefix = "quiver")
public interface DriftConfig {

    Store store();

    Drift drift();

    interface Store {
        /** The model store whose versions carry their reference profiles (the predict function's). */
        @WithDefault(".quiver/models")
        String path();

        /**
         * A model catalog (config/models.yaml) that seeds the store at start with the versions it lacks, for a
         * function that has no predict function's store to read (on Lambda: the configuration layer's catalog,
         * seeding a store in /tmp). Unset: nothing is seeded.
         */
        java.util.Optional<String> catalog();
    }

    interface Drift {
        /** Per-column tests and thresholds and the data set's drift share; a missing file is every default. */
        @WithDefault("config/drift.yaml")
        String options();

        /**
         * The model catalog whose models' {@code sla} and {@code target} a deployment request states as its
         * requirements, when {@code quiver.store.catalog} is unset (that catalog is read otherwise); a missing file
         * states none but the ONNX format.
         */
        @WithDefault("config/models.yaml")
        String serviceLevels();

        /**
         * The fewest rows a window needs before it is compared: fewer is refused (422) with that said, rather than a
         * verdict from a handful of rows.
         */
        @WithDefault("30")
        int minRows();

        /** How often the latest window of every captured model version is evaluated (0s: never). */
        @WithDefault("10m")
        java.time.Duration every();
    }
}
