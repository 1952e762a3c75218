package dev.quiver.function.tracing;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Where a function's spans go while no OTLP collector is named. Quarkus's OTLP exporter otherwise sends to
 * localhost:4317 and logs a failure every few seconds on a machine without a collector. This exporter drops the spans
 * instead, and steps aside as soon as {@code quarkus.otel.exporter.otlp.endpoint} or
 * {@code quarkus.otel.exporter.otlp.traces.endpoint} is set: Quarkus installs its OTLP exporter only where no other
 * exporter is resolvable. Spans are made and their trace context propagated either way.
 */
@Singleton
public class SpansWithoutCollector {

    /** A value no endpoint has: the exporter is looked up only where both properties are missing. */
    private static final String NEVER = "\0";

    @Produces
    @Singleton
    @LookupIfProperty(name = "quarkus.otel.exporter.otlp.endpoint", stringValue = NEVER, lookupIfMissing = true)
    @LookupIfProperty(name = "quarkus.otel.exporter.otlp.traces.endpoint", stringValue = NEVER, lookupIfMissing = true)
    SpanExporter dropped() {
        return SpanExporter.composite(List.of());
    }
}
