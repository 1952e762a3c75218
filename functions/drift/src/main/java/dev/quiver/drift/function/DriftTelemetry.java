package dev.quiver.drift.function;

import dev.quiver.drift.ColumnDrift;
import dev.quiver.drift.evaluation.DriftService;
import dev.quiver.drift.evaluation.EvaluationObserver;
import dev.quiver.function.tracing.Spans;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Traces and counts each evaluation: a {@code quiver.drift.evaluate} span, each column's latest score in the
 * {@code quiver_drift_score} gauge and each alert in the {@code quiver_drift_alerts} counter.
 */
@ApplicationScoped
public class DriftTelemetry implements EvaluationObserver {

    private final MeterRegistry meters;
    private final Tracer tracer;
    /** Each gauge's value, by model, version and column. */
    private final ConcurrentHashMap<String, AtomicReference<Double>> scores = new ConcurrentHashMap<>();

    public DriftTelemetry(MeterRegistry meters, Tracer tracer) {
        this.meters = meters;
        this.tracer = tracer;
    }

    @Override
    public DriftService.Evaluation evaluate(String model, String version,
                                            Supplier<DriftService.Evaluation> evaluation) {
        return Spans.run(tracer, "quiver.drift.evaluate", () -> {
            DriftService.Evaluation e = evaluation.get();
            record(model, version, e);
            return e;
        }, (span, e) -> {
            span.setAttribute("quiver.model.name", model);
            span.setAttribute("quiver.model.version", version);
            span.setAttribute("quiver.drift.window", e.report().window().toString());
            span.setAttribute("quiver.drift.drifted_columns", e.report().drift().driftedColumns());
            span.setAttribute("quiver.drift.alerts", e.alerts().size());
        });
    }

    private void record(String model, String version, DriftService.Evaluation e) {
        for (ColumnDrift c : e.report().drift().columns()) {
            scores.computeIfAbsent(model + "/" + version + "/" + c.name(), k -> {
                AtomicReference<Double> ref = new AtomicReference<>(Double.NaN);
                Gauge.builder("quiver_drift_score", ref, AtomicReference::get)
                        .description("the latest evaluated window's drift score per column: the p-value for KS,"
                                + " chi-square and z, else the distance")
                        .tags("model", model, "version", version, "column", c.name()).register(meters);
                return ref;
            }).set(c.score());
        }
        if (!e.alerts().isEmpty()) {
            meters.counter("quiver_drift_alerts", "model", model, "version", version).increment(e.alerts().size());
        }
    }
}
