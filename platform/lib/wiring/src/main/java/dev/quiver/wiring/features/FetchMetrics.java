package dev.quiver.wiring.features;

import dev.quiver.feature.FeatureStatus;
import dev.quiver.feature.FetchObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per feature view and store: the {@code quiver_features_fetch_seconds} latency histogram of store reads (tagged
 * {@code outcome} ok or error) and {@code quiver_features_values_total}, the values read by {@code status}
 * (PRESENT, NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE, and INVALID for a value the store holds but cannot decode),
 * exposed at {@code /q/metrics}. Meters are made once per view and cached, so recording one read is a map lookup, a
 * timer update and a few increments.
 */
@Singleton
public class FetchMetrics implements FetchObserver {

    private static final FeatureStatus[] STATUSES = FeatureStatus.values();

    private record ViewKey(String store, String view, boolean ok) {
    }

    private record Meters(Timer latency, Counter[] values) {
    }

    private final MeterRegistry registry;
    /** By store, view and outcome; a view's error timer and counters appear with its first failure. */
    private final ConcurrentHashMap<ViewKey, Meters> meters = new ConcurrentHashMap<>();

    public FetchMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void fetched(String store, String view, int entities, long nanos, int[] statuses, boolean ok) {
        Meters m = meters.computeIfAbsent(new ViewKey(store, view, ok), this::create);
        m.latency().record(nanos, TimeUnit.NANOSECONDS);
        for (int s = 0; s < statuses.length; s++) {
            if (statuses[s] > 0) {
                m.values()[s].increment(statuses[s]);
            }
        }
    }

    private Meters create(ViewKey key) {
        Counter[] values = new Counter[STATUSES.length];
        for (FeatureStatus s : STATUSES) {
            values[s.ordinal()] = Counter.builder("quiver.features.values")
                    .description("Feature values read, by status").tag("store", key.store()).tag("view", key.view())
                    .tag("status", s.name()).register(registry);
        }
        Timer latency = Timer.builder("quiver.features.fetch").description("Time the online store took to read one request's rows of a view")
                .tag("store", key.store()).tag("view", key.view()).tag("outcome", key.ok() ? "ok" : "error")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000)).maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
        return new Meters(latency, values);
    }
}
