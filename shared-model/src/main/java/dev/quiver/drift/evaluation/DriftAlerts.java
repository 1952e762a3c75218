package dev.quiver.drift.evaluation;

import dev.quiver.agent.DeploymentRequest;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Severity;
import dev.quiver.team.TeamAddress;
import dev.quiver.drift.ColumnDrift;
import dev.quiver.drift.DataDriftResult;
import dev.quiver.drift.WrittenOptions;
import dev.quiver.drift.capture.ProfileStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Decides which {@code model_issue_alert}s and {@code model_deployment_request}s a drift report raises, under the alert policy of config/drift.yaml: one
 * per incident, as {@link DriftService} states the rule. What each window showed is kept in the profile store's
 * {@linkplain ProfileStore#claim claims} of that window, so that of several instances (or evaluations) only the
 * first decides, and the decision survives a restart:
 * <ul>
 *   <li>{@code incident-<kind>}, noted with the incident's correlation id: the condition held in the window;</li>
 *   <li>{@code clear-<kind>}: the condition was judged and did not hold (an {@code incident-} claim of the same
 *       window, from a later evaluation, wins);</li>
 *   <li>{@code request-<kind>}, noted with the correlation id: the window asked the data scientist for a retrained
 *       model for that incident.</li>
 * </ul>
 */
final class DriftAlerts {

    /** Labelled rows a window needs before its measured accuracy can raise an alert. */
    static final int MIN_LABELLED = 30;

    /**
     * How many earlier windows are read back to find whether a condition was already an incident; a condition that
     * went unjudged for longer (no evaluation, too few labels) starts a new incident.
     */
    static final int MAX_LOOKBACK = WrittenOptions.Alerts.MAX_RETRAIN_AFTER_WINDOWS;

    /** The findings whose incidents ask for a retrained model as they start. */
    private static final Set<String> ACCURACY = Set.of("accuracy", "estimated-accuracy");

    private final WrittenOptions.Alerts policy;
    private final Severity severity;
    private final ProfileStore claims;
    private final TeamAddress address;
    private final Function<String, DeploymentRequest.Requirements> requirements;
    private final Clock clock;

    /** @param requirements what a retrained model must meet, by model name (null: nothing stated) */
    DriftAlerts(WrittenOptions.Alerts policy, ProfileStore claims, TeamAddress address,
                Function<String, DeploymentRequest.Requirements> requirements, Clock clock) {
        this.policy = policy;
        this.severity = Severity.byWireName(policy.severity());
        this.claims = claims;
        this.address = address;
        this.requirements = requirements;
        this.clock = clock;
    }

    /** One condition of the policy on one window: judged or not, holding or not, and the alert it would raise. */
    private record Finding(String kind, boolean judged, boolean holds, String issue, String action,
                           Map<String, Object> details) {
    }

    /** What one window raised: the alerts of the incidents it starts, the deployment requests they lead to. */
    record Raised(List<IssueAlert> alerts, List<DeploymentRequest> requests) {
    }

    /**
     * The alerts {@code report} raises (one per condition that starts an incident in its window) and the
     * deployment requests: one for an accuracy incident as it starts, one for a drift incident in the window where it
     * has held for {@code retrain_after_windows} judged windows in a row. A request shares its incident's
     * correlation id.
     */
    Raised raise(DriftService.Report report) {
        List<IssueAlert> alerts = new ArrayList<>();
        List<DeploymentRequest> requests = new ArrayList<>();
        for (Finding f : findings(report)) {
            if (!f.judged()) {
                continue;
            }
            if (!f.holds()) {
                claims.claim(report.model(), report.version(), report.window(), "clear-" + f.kind());
                continue;
            }
            Ongoing ongoing = ongoing(report, f.kind());
            String correlationId = ongoing == null ? UUID.randomUUID().toString() : ongoing.id();
            if (!claims.claim(report.model(), report.version(), report.window(), "incident-" + f.kind(),
                    correlationId)) {
                continue;
            }
            if (ongoing == null) {
                Map<String, Object> details = new LinkedHashMap<>(f.details());
                details.put("window", report.window().toString());
                details.put("current_rows", report.currentRows());
                alerts.add(address.alert(severity, report.model(), report.version(), f.issue(), clock.instant(),
                        f.action(), details, correlationId));
            }
            int held = (ongoing == null ? 0 : ongoing.windows()) + 1;
            boolean ask = ACCURACY.contains(f.kind()) ? ongoing == null
                    : policy.retrainAfterWindows() > 0 && held == policy.retrainAfterWindows();
            if (ask && claims.claim(report.model(), report.version(), report.window(), "request-" + f.kind(),
                    correlationId)) {
                requests.add(address.deploymentRequest(report.model(), requirements.apply(report.model()),
                        correlationId, clock.instant()));
            }
        }
        return new Raised(alerts, requests);
    }

    /** An incident still going on: its correlation id, and in how many earlier judged windows in a row it held. */
    private record Ongoing(String id, int windows) {
    }

    /**
     * The incident {@code kind} is in, when the latest earlier window that judged it saw it hold, with the judged
     * windows in a row that share its id (counted up to {@code retrain_after_windows}, which is all that is asked
     * of the count); null when that window saw it clear, or none within {@link #MAX_LOOKBACK} judged it.
     */
    private Ongoing ongoing(DriftService.Report report, String kind) {
        List<Instant> windows = claims.windows(report.model(), report.version());
        String first = null;
        String id = null;
        int held = 0;
        int read = 0;
        for (int i = windows.size() - 1; i >= 0 && read < MAX_LOOKBACK; i--) {
            Instant w = windows.get(i);
            if (!w.isBefore(report.window())) {
                continue;
            }
            read++;
            Map<String, String> claimed = claims.claims(report.model(), report.version(), w);
            String incident = claimed.get("incident-" + kind);
            if (incident != null) {
                if (first == null) {
                    first = incident;
                    id = incident.isEmpty() ? UUID.randomUUID().toString() : incident;
                } else if (!incident.equals(first)) {
                    break;
                }
                if (++held >= Math.max(1, policy.retrainAfterWindows())) {
                    break;
                }
                continue;
            }
            if (claimed.containsKey("clear-" + kind)) {
                break;
            }
        }
        return id == null ? null : new Ongoing(id, held);
    }

    private List<Finding> findings(DriftService.Report report) {
        List<Finding> out = new ArrayList<>();
        DataDriftResult drift = report.drift();
        List<String> drifted = drift.columns().stream().filter(ColumnDrift::drifted).map(ColumnDrift::name).toList();
        String driftInWords = String.format(Locale.ROOT, "%d of %d columns drifted", drift.driftedColumns(),
                drift.columns().size());
        if (policy.datasetDrift()) {
            out.add(new Finding("dataset", true, drift.datasetDrift(), String.format(Locale.ROOT,
                    "Data drift: %s (share %.2f, threshold %.2f): %s", driftInWords,
                    drift.shareOfDriftedColumns(), drift.driftShare(), drifted),
                    "Investigating data drift: " + driftInWords, details("drifted_columns", drifted)));
        }
        for (String watched : policy.watch()) {
            ColumnDrift c = drift.column(watched);
            out.add(c == null ? new Finding(kind("column-" + watched), false, false, null, null, Map.of())
                    : new Finding(kind("column-" + watched), true, c.drifted(), String.format(Locale.ROOT,
                    "Column %s drifted: %s %s %.4f against the threshold %.4f", watched, c.test().evidentlyName(),
                    c.pValue() != null ? "p-value" : "distance", c.pValue() != null ? c.pValue() : c.statistic(),
                    c.threshold()), "Investigating drift of the watched column " + watched + "; in all, "
                    + driftInWords, details("column", watched, "test", c.test().evidentlyName())));
        }
        DriftService.MeasuredPerformances measured = report.measuredPerformance();
        Double holdout = measured == null ? null : measured.holdout().get("accuracy");
        if (holdout != null && measured.current().accuracy() != null && measured.current().labelled() >= MIN_LABELLED) {
            double accuracy = measured.current().accuracy();
            out.add(new Finding("accuracy", true, holdout - accuracy > policy.accuracyDrop(),
                    String.format(Locale.ROOT, "Model accuracy dropped from %.2f to %.2f", holdout, accuracy),
                    "Investigating data drift as the cause: " + driftInWords,
                    details("holdout_accuracy", holdout, "accuracy", accuracy,
                            "labelled_rows", measured.current().labelled())));
        }
        DriftService.EstimatedPerformances estimated = report.estimatedPerformance();
        if (estimated != null) {
            double reference = estimated.reference().accuracy();
            double current = estimated.current().accuracy();
            out.add(new Finding("estimated-accuracy", true, reference - current > policy.accuracyDrop(),
                    String.format(Locale.ROOT, "Model accuracy estimated without labels dropped from %.2f to %.2f"
                            + " (more than the allowed %.2f)", reference, current, policy.accuracyDrop()),
                    "Investigating data drift as the cause (" + driftInWords
                            + "); the window's labels will measure the drop when they arrive",
                    details("reference_accuracy", reference, "estimated_accuracy", current, "method", "CBPE")));
        }
        return out;
    }

    private static String kind(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static Map<String, Object> details(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }
}
