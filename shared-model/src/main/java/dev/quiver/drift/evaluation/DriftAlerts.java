package dev.quiver.drift.evaluation;

import dev.quiver.alert.ModelIssueAlert;
import dev.quiver.drift.ColumnDrift;
import dev.quiver.drift.DataDriftResult;
import dev.quiver.drift.WrittenOptions;
import dev.quiver.drift.capture.ProfileStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides which {@code model_issue_alert}s a drift report raises, under the alert policy of config/drift.yaml, and
 * makes sure each is raised once per model version, window and kind: each is {@linkplain ProfileStore#claim claimed}
 * in the profile store first, so of several instances (or evaluations) only the first emits.
 */
final class DriftAlerts {

    /** Labelled rows a window needs before its measured accuracy can raise an alert. */
    static final int MIN_LABELLED = 30;

    private final WrittenOptions.Alerts policy;
    private final ProfileStore claims;
    private final Clock clock;

    DriftAlerts(WrittenOptions.Alerts policy, ProfileStore claims, Clock clock) {
        this.policy = policy;
        this.claims = claims;
        this.clock = clock;
    }

    /** The alerts {@code report} raises that no one raised before for its window; each is claimed as it is returned. */
    List<ModelIssueAlert> raise(DriftService.Report report) {
        List<ModelIssueAlert> out = new ArrayList<>();
        DataDriftResult drift = report.drift();
        if (policy.datasetDrift() && drift.datasetDrift()) {
            List<String> drifted = drift.columns().stream().filter(ColumnDrift::drifted).map(ColumnDrift::name).toList();
            claim(report, "dataset", out, String.format(Locale.ROOT,
                    "Data drift: %d of %d columns drifted (share %.2f, threshold %.2f): %s", drift.driftedColumns(),
                    drift.columns().size(), drift.shareOfDriftedColumns(), drift.driftShare(), drifted),
                    Map.of("drifted_columns", drifted));
        }
        for (String watched : policy.watch()) {
            ColumnDrift c = drift.column(watched);
            if (c != null && c.drifted()) {
                claim(report, "column-" + watched, out, String.format(Locale.ROOT,
                        "Column %s drifted: %s %s %.4f against the threshold %.4f", watched, c.test().evidentlyName(),
                        c.pValue() != null ? "p-value" : "distance", c.pValue() != null ? c.pValue() : c.statistic(),
                        c.threshold()), Map.of("column", watched, "test", c.test().evidentlyName()));
            }
        }
        DriftService.MeasuredPerformances measured = report.measuredPerformance();
        Double holdout = measured == null ? null : measured.holdout().get("accuracy");
        if (holdout != null && measured.current().accuracy() != null && measured.current().labelled() >= MIN_LABELLED
                && holdout - measured.current().accuracy() > policy.accuracyDrop()) {
            claim(report, "accuracy", out, String.format(Locale.ROOT,
                    "Model accuracy dropped from %.2f to %.2f", holdout, measured.current().accuracy()),
                    Map.of("holdout_accuracy", holdout, "accuracy", measured.current().accuracy(),
                            "labelled_rows", measured.current().labelled()));
        }
        DriftService.EstimatedPerformances estimated = report.estimatedPerformance();
        if (estimated != null && estimated.reference().accuracy() - estimated.current().accuracy() > policy.accuracyDrop()) {
            claim(report, "estimated-accuracy", out, String.format(Locale.ROOT,
                    "Model accuracy estimated without labels dropped from %.2f to %.2f (more than the allowed %.2f)",
                    estimated.reference().accuracy(), estimated.current().accuracy(), policy.accuracyDrop()),
                    Map.of("reference_accuracy", estimated.reference().accuracy(),
                            "estimated_accuracy", estimated.current().accuracy(), "method", "CBPE"));
        }
        return out;
    }

    private void claim(DriftService.Report report, String kind, List<ModelIssueAlert> out, String issue,
                       Map<String, Object> details) {
        if (!claims.claim(report.model(), report.version(), report.window(),
                "alert-" + kind.replaceAll("[^A-Za-z0-9._-]", "_"))) {
            return;
        }
        Map<String, Object> all = new LinkedHashMap<>(details);
        all.put("window", report.window().toString());
        all.put("current_rows", report.currentRows());
        out.add(ModelIssueAlert.of(policy.severity(), report.model() + ":" + report.version(), issue, clock.instant(),
                "investigate", all));
    }
}
