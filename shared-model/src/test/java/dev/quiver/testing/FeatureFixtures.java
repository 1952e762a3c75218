package dev.quiver.testing;

import dev.quiver.feature.Entity;
import dev.quiver.feature.Feature;
import dev.quiver.feature.FeatureDefinitions;
import dev.quiver.feature.FeatureRef;
import dev.quiver.feature.FeatureView;
import dev.quiver.feature.ValueType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Feature definitions for tests: a small driver/customer world, and the repository's own config/features.yaml. */
public final class FeatureFixtures {

    private FeatureFixtures() {
    }

    public static final Entity DRIVER = new Entity("driver", "driver_id", ValueType.INT64, null);
    public static final Entity CUSTOMER = new Entity("customer", "customer_id", ValueType.STRING, null);

    /** Keyed by driver, TTL one hour, fed by push source {@code driver_push}. */
    public static final FeatureView DRIVER_STATS = new FeatureView("driver_stats", List.of(DRIVER),
            List.of(new Feature("conv_rate", ValueType.FLOAT), new Feature("trips", ValueType.INT64),
                    new Feature("city", ValueType.STRING)),
            Duration.ofHours(1), "driver_push", null);

    /** Keyed by driver, no TTL. */
    public static final FeatureView DRIVER_PROFILE = new FeatureView("driver_profile", List.of(DRIVER),
            List.of(new Feature("rating", ValueType.DOUBLE), new Feature("active", ValueType.BOOL),
                    new Feature("trips", ValueType.INT64)),
            Duration.ZERO, null, null);

    /** Keyed by driver and customer. */
    public static final FeatureView PAIR = new FeatureView("driver_customer", List.of(DRIVER, CUSTOMER),
            List.of(new Feature("rides_together", ValueType.INT32)), Duration.ZERO, null, null);

    public static FeatureDefinitions definitions() {
        return new FeatureDefinitions("test_project", List.of(DRIVER, CUSTOMER), List.of(DRIVER_STATS, DRIVER_PROFILE, PAIR),
                Map.of("ranking", List.of(new FeatureRef("driver_stats", "conv_rate"), new FeatureRef("driver_profile", "rating"))));
    }

    /** The repository's root, from the build (repo.root) or the working directory's parents. */
    public static Path repositoryRoot() {
        String root = System.getProperty("repo.root");
        if (root != null) {
            return Path.of(root);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !p.resolve("config/features.yaml").toFile().exists()) {
            p = p.getParent();
        }
        return p;
    }
}
