package dev.quiver.drift;

import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Drift options as people write them, in {@code config/drift.yaml} or a request's {@code options}: snake_case keys,
 * tests by Evidently's names.
 * <pre>
 * drift_share: 0.5
 * columns:
 *   total_day_minutes: {test: psi, threshold: 0.2}
 *   number_customer_service_calls: {type: categorical}
 * </pre>
 *
 * @param driftShare the share of drifted columns at which the data set drifts (default 0.5)
 * @param columns    per column: {@code type} (numerical, categorical), {@code test} (ks, chisquare, z, wasserstein,
 *                   jensenshannon, psi) and {@code threshold}, each optional
 * @param alerts     when an evaluation raises a {@code model_issue_alert} (config/drift.yaml only)
 */
public record WrittenOptions(Double driftShare, Map<String, Column> columns, Alerts alerts) {

    public WrittenOptions(Double driftShare, Map<String, Column> columns) {
        this(driftShare, columns, null);
    }

    public record Column(String type, String test, Double threshold) {
    }

    /**
     * @param datasetDrift alert when the data set drifts (default true)
     * @param watch        alert when any of these columns drifts, whatever the data set does
     * @param severity     the alert's severity: low, medium, high (default) or critical
     * @param accuracyDrop alert when the accuracy estimated without labels (CBPE) falls this much below the
     *                     reference's (default 0.05)
     * @param retrainAfterWindows ask the data scientist for a retrained model ({@code model_deployment_request})
     *                     when a drift incident (the data set, or a watched column) has held in this many judged
     *                     windows in a row (default {@value #DEFAULT_RETRAIN_AFTER_WINDOWS}); 0: never for drift
     *                     alone. An accuracy incident asks at once, whatever this says
     */
    public record Alerts(Boolean datasetDrift, java.util.List<String> watch, String severity, Double accuracyDrop,
                         Integer retrainAfterWindows) {

        /** Drift windows in a row after which a retrained model is asked for, by default. */
        public static final int DEFAULT_RETRAIN_AFTER_WINDOWS = 3;

        /** The most windows in a row that can be asked for: a week of hourly windows, as far back as incidents are read. */
        public static final int MAX_RETRAIN_AFTER_WINDOWS = 168;

        public static final Alerts DEFAULT = new Alerts(true, java.util.List.of(), "high", null, null);

        public Alerts(Boolean datasetDrift, java.util.List<String> watch, String severity, Double accuracyDrop) {
            this(datasetDrift, watch, severity, accuracyDrop, null);
        }

        public Alerts {
            retrainAfterWindows = retrainAfterWindows == null ? DEFAULT_RETRAIN_AFTER_WINDOWS : retrainAfterWindows;
            dev.quiver.error.Check.that(retrainAfterWindows >= 0 && retrainAfterWindows <= MAX_RETRAIN_AFTER_WINDOWS,
                    "alerts.retrain_after_windows", "must be between 0 (never) and " + MAX_RETRAIN_AFTER_WINDOWS
                            + " windows, was " + retrainAfterWindows);
            accuracyDrop = accuracyDrop == null ? 0.05 : accuracyDrop;
            dev.quiver.error.Check.that(accuracyDrop > 0 && accuracyDrop < 1, "alerts.accuracy_drop",
                    "must be between 0 and 1");
            datasetDrift = datasetDrift == null || datasetDrift;
            watch = watch == null ? java.util.List.of() : java.util.List.copyOf(watch);
            severity = severity == null ? "high" : severity;
            dev.quiver.error.Check.that(java.util.Set.of("low", "medium", "high", "critical").contains(severity),
                    "alerts.severity", "must be low, medium, high or critical");
        }
    }

    /** The alert policy of a drift options file; every default when it has none. */
    public static Alerts readAlerts(Path file) {
        if (!Files.isRegularFile(file)) {
            return Alerts.DEFAULT;
        }
        try {
            WrittenOptions w = Json.YAML.readValue(file.toFile(), WrittenOptions.class);
            return w == null || w.alerts() == null ? Alerts.DEFAULT : w.alerts();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the drift options " + file, e);
        }
    }

    /** The options, checked; BAD_INPUT naming the field ({@code options.columns.age.test}) when one is wrong. */
    public DriftOptions options() {
        Map<String, ColumnOptions> byColumn = new LinkedHashMap<>();
        if (columns != null) {
            columns.forEach((name, c) -> {
                String at = "options.columns." + name;
                if (c == null) {
                    throw QuiverException.badInput(at, "must be an object of type, test and threshold");
                }
                ColumnType type = null;
                if (c.type() != null) {
                    try {
                        type = ColumnType.valueOf(c.type().toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw QuiverException.badInput(at + ".type", "unknown type '" + c.type()
                                + "'; one of numerical, categorical");
                    }
                }
                StatTest test = c.test() == null ? null : StatTest.named(c.test(), at + ".test");
                if (c.threshold() != null && test != null) {
                    test.checkThreshold(c.threshold(), at + ".threshold");
                }
                byColumn.put(name, new ColumnOptions(type, test, c.threshold()));
            });
        }
        return new DriftOptions(driftShare == null ? DriftOptions.DEFAULT_DRIFT_SHARE : driftShare, byColumn);
    }

    /** Reads {@code file}; a missing file is every default. */
    public static DriftOptions read(Path file) {
        if (!Files.isRegularFile(file)) {
            return DriftOptions.DEFAULTS;
        }
        try {
            WrittenOptions w = Json.YAML.readValue(file.toFile(), WrittenOptions.class);
            return w == null ? DriftOptions.DEFAULTS : w.options();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the drift options " + file, e);
        }
    }
}
