package dev.quiver.redis.feast;

import dev.quiver.feature.Entity;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.Feature;
import dev.quiver.feature.FeatureRow;
import dev.quiver.feature.FeatureView;
import dev.quiver.feature.ValueType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Named feature views and rows for the tests. */
final class TestViews {

    static final Entity DRIVER = new Entity("driver", "driver_id", ValueType.INT64, "a driver");

    private TestViews() {
    }

    /** {@code all_types}: one feature per {@link ValueType}, named after it in lower case, keyed by driver. */
    static FeatureView allTypes() {
        List<Feature> features = new ArrayList<>();
        for (ValueType t : ValueType.values()) {
            features.add(new Feature(t.yamlName(), t));
        }
        return new FeatureView("all_types", List.of(DRIVER), features, Duration.ZERO, null, null);
    }

    /** {@code driver_stats}: {@code conv_rate} (float) and {@code trips} (int64), keyed by driver. */
    static FeatureView driverStats() {
        return new FeatureView("driver_stats", List.of(DRIVER),
                List.of(new Feature("conv_rate", ValueType.FLOAT), new Feature("trips", ValueType.INT64)),
                Duration.ZERO, null, null);
    }

    /** {@code driver_profile}: {@code city} (string), keyed by driver, so it shares driver_stats' hashes. */
    static FeatureView driverProfile() {
        return new FeatureView("driver_profile", List.of(DRIVER), List.of(new Feature("city", ValueType.STRING)),
                Duration.ZERO, null, null);
    }

    static EntityKey driver(long id) {
        return EntityKey.of("driver_id", id);
    }

    /** A row of {@code values} given as name, value, name, value... */
    static FeatureRow row(long driver, Instant eventTime, Object... namesAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new FeatureRow(driver(driver), eventTime, values);
    }

    /** A row of {@code all_types} with a non-trivial value of every type. */
    static FeatureRow allTypesRow(long driver, Instant eventTime) {
        return row(driver, eventTime,
                "bytes", new byte[] {0, (byte) 0xff, 7},
                "string", "Zürich 東京 🚀",
                "int32", -7,
                "int64", Long.MIN_VALUE,
                "double", 0.1,
                "float", -1.25f,
                "bool", false,
                "unix_timestamp", 1_700_000_000L);
    }

    /** The feature names of a view, in order. */
    static List<String> features(FeatureView view) {
        return view.features().stream().map(Feature::name).toList();
    }
}
