package dev.quiver.drift;

import dev.quiver.error.QuiverException;

import java.util.Map;

/**
 * Options of a data drift computation, the typed form of {@code config/drift.yaml}.
 *
 * @param driftShare the share of drifted columns at or above which the data set has drifted, in (0, 1]; Evidently's
 *                   {@code drift_share}, 0.5 by default
 * @param columns    per column name, what it overrides; columns not named keep every default
 */
public record DriftOptions(double driftShare, Map<String, ColumnOptions> columns) {

    /** Evidently's default share of drifted columns. */
    public static final double DEFAULT_DRIFT_SHARE = 0.5;

    /** Every default. */
    public static final DriftOptions DEFAULTS = new DriftOptions(DEFAULT_DRIFT_SHARE, Map.of());

    public DriftOptions {
        if (!(driftShare > 0 && driftShare <= 1)) {
            throw QuiverException.badInput("options.drift_share", "must be above 0 and at most 1, was " + driftShare);
        }
        columns = columns == null ? Map.of() : Map.copyOf(columns);
    }

    /** The defaults with this share of drifted columns. */
    public static DriftOptions withDriftShare(double driftShare) {
        return new DriftOptions(driftShare, Map.of());
    }

    /** These options with {@code column}'s overrides replaced. */
    public DriftOptions with(String column, ColumnOptions options) {
        Map<String, ColumnOptions> copy = new java.util.HashMap<>(columns);
        copy.put(column, options);
        return new DriftOptions(driftShare, copy);
    }

    /** The overrides of {@code column}, or {@link ColumnOptions#DEFAULTS}. */
    public ColumnOptions column(String column) {
        return columns.getOrDefault(column, ColumnOptions.DEFAULTS);
    }
}
