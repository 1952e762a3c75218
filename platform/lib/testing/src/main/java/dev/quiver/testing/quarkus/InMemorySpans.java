package dev.quiver.testing.quarkus;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Collects the spans a function exports in its tests: inject {@link InMemorySpanExporter} to read them. A test of the
 * OTLP exporter leaves this bean out ({@code quarkus.arc.exclude-types}), since Quarkus installs OTLP only where no
 * other exporter is resolvable.
 */
@ApplicationScoped
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
