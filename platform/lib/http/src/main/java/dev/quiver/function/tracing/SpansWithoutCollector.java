package dev.quiver.function.tracing;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.opentelemetry.runtime.AutoConfiguredOpenTelemetrySdkBuilderCustomizer;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * Where a function's spans go while no OTLP collector is named: nowhere, at no more cost than making them. Quarkus's
 * OTLP exporter otherwise sends to localhost:4317 and logs a failure every few seconds on a machine without a
 * collector, so an exporter that drops the spans takes its place until {@code quarkus.otel.exporter.otlp.endpoint} or
 * {@code quarkus.otel.exporter.otlp.traces.endpoint} names one (Quarkus installs OTLP only where no other exporter is
 * resolvable). And since a batch span processor in front of nothing would still queue and copy every span, the SDK
 * gets no exporters of its own unless some other exporter bean (a test's in-memory one) wants them; OTLP comes with its
 * own processor. Spans are made and their trace context propagated either way.
 */
@Singleton
public class SpansWithoutCollector implements AutoConfiguredOpenTelemetrySdkBuilderCustomizer {

    /**
     * Quarkus's default for both endpoint properties, which it reads as "none named": the exporter is looked up only
     * where both still have it. A collector on that address is named without the slash, {@code http://localhost:4317}.
     */
    private static final String UNNAMED = "http://localhost:4317/";

    @Inject
    Instance<SpanExporter> exporters;

    // nothing injects it: Quarkus's OTLP exporter asks for exporters only at run time
    @Produces
    @Singleton
    @Unremovable
    @LookupIfProperty(name = "quarkus.otel.exporter.otlp.endpoint", stringValue = UNNAMED, lookupIfMissing = true)
    @LookupIfProperty(name = "quarkus.otel.exporter.otlp.traces.endpoint", stringValue = UNNAMED, lookupIfMissing = true)
    SpanExporter dropped() {
        return SpanExporter.composite(List.of());
    }

    @Override
    public void customize(AutoConfiguredOpenTelemetrySdkBuilder builder) {
        boolean othersWant = exporters.handlesStream()
                .anyMatch(h -> !h.getBean().getBeanClass().equals(SpansWithoutCollector.class));
        if (!othersWant) {
            builder.addPropertiesCustomizer(config -> Map.of("otel.traces.exporter", "none"));
        }
    }
}
