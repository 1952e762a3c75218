package dev.quiver.predict.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.inject.Singleton;

import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** Wraps a call in a span of its own and lets the caller name its result's attributes. */
@Singleton
public class Tracing {

    private final Tracer tracer;

    public Tracing(Tracer tracer) {
        this.tracer = tracer;
    }

    public <T> T span(String name, Supplier<T> call, BiConsumer<Span, T> attributes) {
        Span span = tracer.spanBuilder(name).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            T result = call.get();
            attributes.accept(span, result);
            return result;
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            span.end();
        }
    }
}
