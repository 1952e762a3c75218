package dev.quiver.drift.evaluation;

import dev.quiver.agent.DeploymentRequest;
import dev.quiver.agent.IssueAlert;
import dev.quiver.team.TeamChannel;
import dev.quiver.drift.ColumnDrift;
import dev.quiver.drift.ColumnValues;
import dev.quiver.drift.DataDrift;
import dev.quiver.drift.DataDriftResult;
import dev.quiver.drift.DriftOptions;
import dev.quiver.drift.EstimatedPerformance;
import dev.quiver.drift.MeasuredPerformance;
import dev.quiver.drift.SketchDrift;
import dev.quiver.drift.WrittenOptions;
import dev.quiver.drift.capture.Outcome;
import dev.quiver.drift.capture.Profile;
import dev.quiver.drift.capture.ProfileStore;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.registry.Catalog;
import dev.quiver.registry.ModelStore;
import dev.quiver.team.ModelRequirements;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The drift use case: drift of raw rows (exact mode), and of a captured window against the version's reference
 * profile (sketch mode), with the performance measured from labels that arrive later and the alerts a window
 * raises.
 *
 * <p>Errors are the core's: an unknown model, version or window is NOT_FOUND, a window with fewer rows than
 * {@link DriftSettings#minRows} is REJECTED, a bad name or label is BAD_INPUT, each naming the field. A reference
 * profile that cannot be read is an {@link UncheckedIOException}.
 *
 * <p>Alerts, once per incident: each condition of the alert policy (the data set drifted, a watched column drifted,
 * the measured accuracy dropped, the accuracy estimated without labels dropped) is judged on each evaluated window of
 * a model version. A window where it holds starts an incident, and raises one {@code model_issue_alert} with a new
 * {@code correlation_id}, unless the latest earlier window that judged it saw it hold too: then the window continues
 * that incident, raises nothing, and shares its correlation id. A window where the condition was judged and did not
 * hold ends the incident; the next window where it holds starts a new one. A window never evaluated, or where the
 * condition could not be judged (measured accuracy needs {@value DriftAlerts#MIN_LABELLED} labelled rows), neither
 * continues nor ends an incident, unless more than {@value DriftAlerts#MAX_LOOKBACK} such windows pass. Each alert
 * is addressed by the sink's {@link dev.quiver.team.TeamAddress}, with what Quiver does about it in
 * {@code issue.action}.
 *
 * <p>Deployment requests, once per incident too, to the data scientist, with the incident's {@code correlation_id}
 * and the model's {@linkplain #requirements requirements}: an accuracy incident (measured or estimated) asks for a
 * retrained model in the window where it starts; a drift incident (the data set, or a watched column) asks in the
 * window where it has held for {@code retrain_after_windows} judged windows in a row (0: never).
 * {@link #requestRetraining} asks at an operator's call.
 *
 * <p>Threading: safe to call from several threads, as its stores are; what each window showed is
 * {@linkplain ProfileStore#claim claimed} in the profile store, the first claim deciding, so an incident raises one
 * alert across threads, processes and restarts.
 */
public final class DriftService {

    /** A captured window of a model version: when it started and how many rows every instance captured. */
    public record Window(Instant start, long rows, int instances) {
    }

    /**
     * A sketch-mode report: which window, against which reference, what drifted, how exact each statistic is, and
     * (for a binary model) the performance estimated without labels on the reference and on the window.
     */
    public record Report(String model, String version, Instant window, long referenceRows, long currentRows,
                         DataDriftResult drift, Map<String, Double> errorBounds,
                         EstimatedPerformances estimatedPerformance, MeasuredPerformances measuredPerformance) {
    }

    /**
     * The version's holdout metrics from training (its descriptor), and what the window's predictions scored once
     * their labels arrived.
     */
    public record MeasuredPerformances(Map<String, Double> holdout, MeasuredPerformance current) {
    }

    /** CBPE on the reference (the training rows) and on the window. */
    public record EstimatedPerformances(EstimatedPerformance reference, EstimatedPerformance current) {
    }

    /**
     * What an evaluation found, which alerts it raised (none for an incident that was already alerted on), and which
     * deployment requests it sent the data scientist.
     */
    public record Evaluation(Report report, List<IssueAlert> alerts, List<DeploymentRequest> requests) {
    }

    /** A version whose latest window was not evaluated, and why (too few rows, say). */
    public record Skipped(String model, String version, String reason) {
    }

    /** What a sweep over every captured version did. */
    public record Sweep(List<Evaluation> evaluations, List<Skipped> skipped) {
    }

    /** The name this process appends labels under, distinct from every other instance's. */
    private static final String INSTANCE = "drift-" + ProcessHandle.current().pid() + "-"
            + UUID.randomUUID().toString().substring(0, 8);

    private final ModelStore models;
    private final ProfileStore profiles;
    private final TeamChannel sink;
    private final DriftSettings settings;
    private final DriftAlerts alerts;
    private final EvaluationObserver observer;
    private final Map<String, DeploymentRequest.Requirements> requirements;
    private final Clock clock;

    /**
     * A service that states no requirements in its deployment requests but the format the predict function serves.
     *
     * @param models   the versions, with their descriptors and reference profiles
     * @param profiles the captured windows, predictions and labels, and the claims that keep alerts one per incident
     * @param sink     where raised alerts and deployment requests go
     * @param observer wraps each evaluation ({@link EvaluationObserver#NONE}: nothing)
     * @param clock    the time alerts are stamped with
     */
    public DriftService(ModelStore models, ProfileStore profiles, TeamChannel sink, DriftSettings settings,
                        EvaluationObserver observer, Clock clock) {
        this(models, profiles, sink, settings, observer, clock, Map.of());
    }

    /**
     * @param requirements what a retrained model must meet, by model name ({@link ModelRequirements#of(Catalog)}); a
     *                     model not named here is asked for in ONNX with no bound stated
     */
    public DriftService(ModelStore models, ProfileStore profiles, TeamChannel sink, DriftSettings settings,
                        EvaluationObserver observer, Clock clock,
                        Map<String, DeploymentRequest.Requirements> requirements) {
        this.models = Objects.requireNonNull(models, "models");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requirements = Map.copyOf(requirements);
        this.alerts = new DriftAlerts(settings.alerts(), profiles, sink.address(), this::requirements, clock);
    }

    /** What a new or retrained {@code model} must meet, as its deployment requests state it. */
    public DeploymentRequest.Requirements requirements(String model) {
        return requirements.getOrDefault(model, ModelRequirements.of(null, null));
    }

    /**
     * Computes a window's report and raises its alerts to the sink, once per incident across instances, within the
     * {@link EvaluationObserver}.
     *
     * @param window the window's start; null for the latest
     */
    public Evaluation evaluate(String model, String version, Instant window) {
        return observer.evaluate(model, version, () -> {
            Report r = report(model, version, window, null);
            DriftAlerts.Raised raised = alerts.raise(r);
            raised.alerts().forEach(sink::send);
            raised.requests().forEach(sink::send);
            return new Evaluation(r, raised.alerts(), raised.requests());
        });
    }

    /**
     * An operator's call for a retrained model: sends the data scientist a {@code model_deployment_request} with the
     * model's {@linkplain #requirements requirements}, at once, whatever the drift shows.
     *
     * @param correlationId the incident it belongs to (an alert's {@code correlation_id}); null: a new one
     * @return the request as sent
     */
    public DeploymentRequest requestRetraining(String model, String correlationId) {
        Check.name(model, "model");
        if (models.versions(model).isEmpty()) {
            throw QuiverException.notFound("model", "no model '" + model + "'");
        }
        Check.that(correlationId == null || (!correlationId.isBlank() && correlationId.length() <= 256),
                "correlation_id", "must be 1 to 256 characters when given");
        DeploymentRequest request = sink.address().deploymentRequest(model, requirements(model),
                correlationId == null ? UUID.randomUUID().toString() : correlationId, clock.instant());
        sink.send(request);
        return request;
    }

    /**
     * Records true labels that arrived for the model's predictions; every label must be one of the model's classes
     * (its newest version's), and a bad one refuses the whole batch.
     *
     * @return how many were recorded
     */
    public int feedback(String model, List<Outcome> outcomes) {
        Check.name(model, "model");
        Check.that(outcomes != null && !outcomes.isEmpty(), "outcomes", "must hold at least one outcome");
        List<String> versions = models.versions(model);
        if (versions.isEmpty()) {
            throw QuiverException.notFound("model", "no model '" + model + "'");
        }
        List<String> labels = models.descriptor(model, versions.get(versions.size() - 1)).orElseThrow().labels();
        for (int i = 0; i < outcomes.size(); i++) {
            Check.required(outcomes.get(i), "outcomes[" + i + "]").checked("outcomes[" + i + "]");
            Check.that(labels.contains(outcomes.get(i).label()), "outcomes[" + i + "].label",
                    "'" + outcomes.get(i).label() + "' is not one of the model's classes " + labels);
        }
        profiles.appendOutcomes(INSTANCE, model, outcomes);
        return outcomes.size();
    }

    /**
     * Evaluates the latest window of every captured model version, as a schedule does. A version that cannot be
     * evaluated (its window has too few rows, its reference profile is missing) is skipped with the reason, and does
     * not stop the others.
     */
    public Sweep evaluateLatest() {
        List<Evaluation> done = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (String[] mv : captured()) {
            try {
                done.add(evaluate(mv[0], mv[1], null));
            } catch (QuiverException e) {
                skipped.add(new Skipped(mv[0], mv[1], e.getMessage()));
            }
        }
        return new Sweep(done, skipped);
    }

    /** Every model version with captured windows, as {@code {model, version}}. */
    public List<String[]> captured() {
        List<String[]> out = new ArrayList<>();
        for (String model : models.modelNames()) {
            for (String version : models.versions(model)) {
                if (!profiles.windows(model, version).isEmpty()) {
                    out.add(new String[] {model, version});
                }
            }
        }
        return out;
    }

    /** The configured options, or those of a request when it gives some. */
    public DriftOptions options(WrittenOptions requested) {
        return requested == null ? settings.options() : requested.options();
    }

    /** Exact mode: two samples of raw columns, under the request's options or the configured ones. */
    public DataDriftResult exact(Map<String, ColumnValues> reference, Map<String, ColumnValues> current,
                                 WrittenOptions options) {
        return DataDrift.compute(reference, current, options(options));
    }

    /** The version's captured windows, oldest first. */
    public List<Window> windows(String model, String version) {
        names(model, version);
        return profiles.windows(model, version).stream().map(start -> {
            List<Profile.Saved> parts = profiles.load(model, version, start);
            return new Window(start, parts.stream().mapToLong(Profile.Saved::rows).sum(), parts.size());
        }).toList();
    }

    /**
     * Sketch mode: a window against the version's reference profile.
     *
     * @param window  the window's start; null for the latest
     * @param options the request's options; null for the configured ones
     */
    public Report report(String model, String version, Instant window, WrittenOptions options) {
        return compare(model, version, window, options).report();
    }

    /** The report as a self-contained HTML page, with a chart per drifted column. */
    public String page(String model, String version, Instant window) {
        Compared c = compare(model, version, window, null);
        List<SketchDrift.Distribution> charts = c.report().drift().columns().stream()
                .filter(ColumnDrift::drifted)
                .map(col -> SketchDrift.distribution(c.reference(), c.current(), col.name(), 20))
                .toList();
        return ReportPage.render(c.report(), charts);
    }

    private record Compared(Report report, Profile.Saved reference, Profile.Saved current) {
    }

    private Compared compare(String model, String version, Instant window, WrittenOptions options) {
        names(model, version);
        Path referenceFile = models.referenceProfile(model, version).orElseThrow(() -> QuiverException.notFound(
                "version", "model " + model + ":" + version + " has no reference profile (the training command"
                        + " writes it; register the version with it)"));
        Profile.Saved reference;
        try {
            reference = Json.MAPPER.readValue(referenceFile.toFile(), Profile.Saved.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + referenceFile, e);
        }
        List<Instant> windows = profiles.windows(model, version);
        Instant start = window;
        if (start == null) {
            if (windows.isEmpty()) {
                throw QuiverException.notFound("window", "nothing captured yet for " + model + ":" + version);
            }
            start = windows.get(windows.size() - 1);
        }
        List<Profile.Saved> parts = profiles.load(model, version, start);
        if (parts.isEmpty()) {
            throw QuiverException.notFound("window", "no window of " + model + ":" + version + " starts at " + start
                    + "; windows: " + windows);
        }
        Profile.Saved current = Profile.merge(parts);
        int minRows = settings.minRows();
        if (current.rows() < minRows) {
            throw QuiverException.rejected("window", "window " + start + " of " + model + ":" + version + " has "
                    + current.rows() + " rows; its drift is not computed below " + minRows + " (quiver.drift.min-rows)");
        }
        SketchDrift.Result r = SketchDrift.compute(reference, current, options(options));
        boolean binary = reference.labels().size() == 2;
        EstimatedPerformances estimated = !binary ? null : new EstimatedPerformances(
                EstimatedPerformance.of(reference), EstimatedPerformance.of(current));
        MeasuredPerformances measured = !binary ? null : new MeasuredPerformances(
                models.descriptor(model, version).map(ModelDescriptor::metrics).orElse(Map.of()),
                MeasuredPerformance.of(profiles.predictions(model, version, start), profiles.outcomes(model),
                        reference.labels().get(1)));
        return new Compared(new Report(model, version, start, reference.rows(), current.rows(), r.drift(),
                r.errorBounds(), estimated, measured), reference, current);
    }

    private void names(String model, String version) {
        Check.name(model, "model");
        Check.name(version, "version");
        if (models.descriptor(model, version).isEmpty()) {
            throw QuiverException.notFound("version", "no model " + model + ":" + version);
        }
    }
}
