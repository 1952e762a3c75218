package dev.quiver.predict.observability;

import dev.quiver.prediction.PredictionObserver;
import dev.quiver.model.ModelKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per model version: {@code quiver_predictions_total} (requests, by outcome), {@code quiver_prediction_rows_total},
 * the {@code quiver_prediction_seconds} latency histogram and {@code quiver_prediction_batch_requests} (requests per
 * run, for the runs that scored several together), exposed at {@code /q/metrics}. Meters are
 * created once per version and cached, so recording is two map lookups and two increments.
 */
@Singleton
public class PredictionMetrics implements PredictionObserver {

    private record Meters(Timer latency, Counter ok, Counter failed, Counter rows, DistributionSummary batch) {
    }

    private final MeterRegistry registry;
    private final ConcurrentHashMap<ModelKey, Meters> meters = new ConcurrentHashMap<>();

    public PredictionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void scored(ModelKey key, int rows, long nanos, boolean ok) {
        Meters m = meters.computeIfAbsent(key, this::create);
        m.latency().record(nanos, TimeUnit.NANOSECONDS);
        (ok ? m.ok() : m.failed()).increment();
        m.rows().increment(rows);
    }

    @Override
    public void batched(ModelKey key, int requests, int rows) {
        meters.computeIfAbsent(key, this::create).batch().record(requests);
    }

    private Meters create(ModelKey key) {
        String[] tags = {"model", key.name(), "version", key.version()};
        return new Meters(
                Timer.builder("quiver.prediction").description("Time spent scoring one request in the model, encoding included")
                        .tags(tags).publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry),
                Counter.builder("quiver.predictions").description("Prediction requests").tags(tags).tag("outcome", "ok")
                        .register(registry),
                Counter.builder("quiver.predictions").description("Prediction requests").tags(tags).tag("outcome", "error")
                        .register(registry),
                Counter.builder("quiver.prediction.rows").description("Rows scored").tags(tags).register(registry),
                DistributionSummary.builder("quiver.prediction.batch.requests")
                        .description("Requests scored by one run of the model, for runs that scored several together")
                        .tags(tags).serviceLevelObjectives(2, 4, 8, 16, 32, 64, 128).register(registry));
    }
}
