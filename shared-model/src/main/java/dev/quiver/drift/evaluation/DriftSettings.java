package dev.quiver.drift.evaluation;

import dev.quiver.drift.DriftOptions;
import dev.quiver.drift.WrittenOptions;

import java.util.Objects;

/**
 * What {@link DriftService} judges by, typically read from config/drift.yaml at start.
 *
 * @param options the drift tests, thresholds and drift share used when a request gives none
 * @param alerts  which findings raise a {@code model_issue_alert}, and with which severity
 * @param minRows the fewest rows a captured window needs before it is compared, at least 0: a smaller window is
 *                refused rather than judged from a handful of rows
 */
public record DriftSettings(DriftOptions options, WrittenOptions.Alerts alerts, int minRows) {

    /** Windows of fewer rows are not compared by default. */
    public static final int DEFAULT_MIN_ROWS = 30;

    /** Evidently's tests and share, the default alert policy and {@link #DEFAULT_MIN_ROWS}. */
    public static final DriftSettings DEFAULTS = new DriftSettings(DriftOptions.DEFAULTS, WrittenOptions.Alerts.DEFAULT,
            DEFAULT_MIN_ROWS);

    public DriftSettings {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(alerts, "alerts");
        if (minRows < 0) {
            throw new IllegalArgumentException("minRows must be at least 0, was " + minRows);
        }
    }

    /** These settings with another fewest rows per window. */
    public DriftSettings withMinRows(int rows) {
        return new DriftSettings(options, alerts, rows);
    }
}
