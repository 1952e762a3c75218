package dev.quiver.drift.function;

import dev.quiver.drift.DataDrift;
import dev.quiver.drift.DataDriftResult;
import dev.quiver.drift.DriftOptions;
import dev.quiver.drift.SketchDrift;
import dev.quiver.drift.WrittenOptions;
import dev.quiver.drift.capture.Profile;
import dev.quiver.drift.capture.ProfileStore;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.json.Json;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What the drift function's doors call: drift of raw rows (exact mode), and of a captured window against the
 * version's reference profile (sketch mode). Not a transport class: no HTTP in here.
 */
@ApplicationScoped
public class DriftService {

    /** A captured window of a model version: when it started and how many rows every instance captured. */
    public record Window(Instant start, long rows, int instances) {
    }

    /**
     * A sketch-mode report: which window, against which reference, what drifted, how exact each statistic is, and
     * (for a binary model) the performance estimated without labels on the reference and on the window.
     */
    public record Report(String model, String version, Instant window, long referenceRows, long currentRows,
                         DataDriftResult drift, java.util.Map<String, Double> errorBounds,
                         EstimatedPerformances estimatedPerformance, MeasuredPerformances measuredPerformance) {
    }

    /**
     * The version's holdout metrics from training (its descriptor), and what the window's predictions scored once
     * their labels arrived.
     */
    public record MeasuredPerformances(java.util.Map<String, Double> holdout,
                                       dev.quiver.drift.MeasuredPerformance current) {
    }

    /** CBPE on the reference (the training rows) and on the window. */
    public record EstimatedPerformances(dev.quiver.drift.EstimatedPerformance reference,
                                        dev.quiver.drift.EstimatedPerformance current) {
    }

    /** What an evaluation found and which alerts it raised (none when they were raised before for the window). */
    public record Evaluation(Report report, List<dev.quiver.alert.ModelIssueAlert> alerts) {
    }

    private final DirectoryModelStore models;
    private final ProfileStore profiles;
    private final DriftOptions configured;
    private final DriftAlerts alerts;
    private final dev.quiver.alert.AlertSink sink;
    private final int minRows;
    private final io.micrometer.core.instrument.MeterRegistry meters;
    private final io.opentelemetry.api.trace.Tracer tracer;
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicReference<Double>> scores =
            new java.util.concurrent.ConcurrentHashMap<>();

    public DriftService(DriftConfig config, ProfileStore profiles, dev.quiver.alert.AlertSink sink,
                        io.micrometer.core.instrument.MeterRegistry meters, io.opentelemetry.api.trace.Tracer tracer) {
        this.meters = meters;
        this.tracer = tracer;
        this.minRows = config.drift().minRows();
        this.models = new DirectoryModelStore(Path.of(config.store().path()));
        config.store().catalog().map(Path::of).ifPresent(catalog -> {
            var seeded = dev.quiver.registry.Catalog.read(catalog).seed(catalog.toAbsolutePath().getParent(), models);
            if (!seeded.isEmpty()) {
                org.jboss.logging.Logger.getLogger(DriftService.class).infof("seeded %s from the catalog %s", seeded,
                        catalog);
            }
        });
        this.profiles = profiles;
        this.configured = WrittenOptions.read(Path.of(config.drift().options()));
        this.alerts = new DriftAlerts(WrittenOptions.readAlerts(Path.of(config.drift().options())),
                profiles, java.time.Clock.systemUTC());
        this.sink = sink;
    }

    /**
     * Computes a window's report and raises its alerts (once per window and kind, across instances), in a
     * {@code quiver.drift.evaluate} span; each column's score goes to the {@code quiver_drift_score} gauge and each
     * alert to the {@code quiver_drift_alerts} counter.
     */
    public Evaluation evaluate(String model, String version, Instant window) {
        return dev.quiver.function.tracing.Spans.run(tracer, "quiver.drift.evaluate", () -> {
            Report r = report(model, version, window, null);
            List<dev.quiver.alert.ModelIssueAlert> raised = alerts.raise(r);
            raised.forEach(sink::emit);
            for (dev.quiver.drift.ColumnDrift c : r.drift().columns()) {
                scores.computeIfAbsent(model + "/" + version + "/" + c.name(), k -> {
                    java.util.concurrent.atomic.AtomicReference<Double> ref = new java.util.concurrent.atomic.AtomicReference<>(Double.NaN);
                    io.micrometer.core.instrument.Gauge.builder("quiver_drift_score", ref, AtomicDouble::get)
                            .description("the latest evaluated window's drift score per column: the p-value for KS,"
                                    + " chi-square and z, else the distance")
                            .tags("model", model, "version", version, "column", c.name()).register(meters);
                    return ref;
                }).set(c.score());
            }
            if (!raised.isEmpty()) {
                meters.counter("quiver_drift_alerts", "model", model, "version", version).increment(raised.size());
            }
            return new Evaluation(r, raised);
        }, (span, e) -> {
            span.setAttribute("quiver.model.name", model);
            span.setAttribute("quiver.model.version", version);
            span.setAttribute("quiver.drift.window", e.report().window().toString());
            span.setAttribute("quiver.drift.drifted_columns", e.report().drift().driftedColumns());
            span.setAttribute("quiver.drift.alerts", e.alerts().size());
        });
    }

    /** Reads a gauge's value out of its holder. */
    private static final class AtomicDouble {
        static double get(java.util.concurrent.atomic.AtomicReference<Double> ref) {
            return ref.get();
        }
    }

    /**
     * Records true labels that arrived for the model's predictions; every label must be one of the model's classes
     * (its newest version's), and a bad one refuses the whole batch.
     */
    public int feedback(String model, List<dev.quiver.drift.capture.Outcome> outcomes) {
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

    private static final String INSTANCE = "drift-" + ProcessHandle.current().pid() + "-"
            + java.util.UUID.randomUUID().toString().substring(0, 8);

    /** A version whose latest window was not evaluated, and why (too few rows, say). */
    public record Skipped(String model, String version, String reason) {
    }

    /** What a sweep over every captured version did. */
    public record Sweep(List<Evaluation> evaluations, List<Skipped> skipped) {
    }

    /**
     * Evaluates the latest window of every captured model version, as the schedule, a PingSource tick and a scheduled
     * Lambda event do. A version that cannot be evaluated (its window has too few rows, its reference profile is
     * missing) is skipped with the reason, and does not stop the others.
     */
    public Sweep evaluateLatest() {
        List<Evaluation> done = new java.util.ArrayList<>();
        List<Skipped> skipped = new java.util.ArrayList<>();
        for (String[] mv : captured()) {
            try {
                done.add(evaluate(mv[0], mv[1], null));
            } catch (QuiverException e) {
                skipped.add(new Skipped(mv[0], mv[1], e.getMessage()));
            }
        }
        return new Sweep(done, skipped);
    }

    /** Every model version with captured windows, as {@code model/version}. */
    public List<String[]> captured() {
        List<String[]> out = new java.util.ArrayList<>();
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
        return requested == null ? configured : requested.options();
    }

    public DataDriftResult exact(java.util.Map<String, dev.quiver.drift.ColumnValues> reference,
                                 java.util.Map<String, dev.quiver.drift.ColumnValues> current, WrittenOptions options) {
        return DataDrift.compute(reference, current, options(options));
    }

    public List<Window> windows(String model, String version) {
        names(model, version);
        return profiles.windows(model, version).stream().map(start -> {
            List<Profile.Saved> parts = profiles.load(model, version, start);
            return new Window(start, parts.stream().mapToLong(Profile.Saved::rows).sum(), parts.size());
        }).toList();
    }

    /** @param window the window's start; null for the latest */
    public Report report(String model, String version, Instant window, WrittenOptions options) {
        return compare(model, version, window, options).report();
    }

    /** The report as a self-contained HTML page, with a chart per drifted column. */
    public String page(String model, String version, Instant window) {
        Compared c = compare(model, version, window, null);
        List<dev.quiver.drift.SketchDrift.Distribution> charts = c.report().drift().columns().stream()
                .filter(dev.quiver.drift.ColumnDrift::drifted)
                .map(col -> dev.quiver.drift.SketchDrift.distribution(c.reference(), c.current(), col.name(), 20))
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
        if (current.rows() < minRows) {
            throw QuiverException.rejected("window", "window " + start + " of " + model + ":" + version + " has "
                    + current.rows() + " rows; its drift is not computed below " + minRows + " (quiver.drift.min-rows)");
        }
        SketchDrift.Result r = SketchDrift.compute(reference, current, options(options));
        boolean binary = reference.labels().size() == 2;
        EstimatedPerformances estimated = !binary ? null : new EstimatedPerformances(
                dev.quiver.drift.EstimatedPerformance.of(reference), dev.quiver.drift.EstimatedPerformance.of(current));
        MeasuredPerformances measured = !binary ? null : new MeasuredPerformances(
                models.descriptor(model, version).map(d -> d.metrics()).orElse(java.util.Map.of()),
                dev.quiver.drift.MeasuredPerformance.of(profiles.predictions(model, version, start),
                        profiles.outcomes(model), reference.labels().get(1)));
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
