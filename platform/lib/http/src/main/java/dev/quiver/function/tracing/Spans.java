package dev.quiver.function.tracing;

import dev.quiver.error.Stages;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** Runs a call in a span of its own, current on the calling thread while it runs. */
public final class Spans {

    private Spans() {
    }

    /**
     * Runs {@code call} in a new span named {@code name}; {@code attributes} names the result's attributes. A call
     * that fails ends the span with status ERROR and the failure's message, and the failure goes on.
     */
    public static <T> T run(Tracer tracer, String name, Supplier<T> call, BiConsumer<Span, T> attributes) {
        Span span = tracer.spanBuilder(name).startSpan();
        T result;
        try (Scope ignored = span.makeCurrent()) {
            result = call.get();
        } catch (RuntimeException e) {
            end(span, null, e, attributes);
            throw e;
        }
        end(span, result, null, attributes);
        return result;
    }

    /**
     * Starts {@code call} in a new span named {@code name}, current on the calling thread while the call starts,
     * and ends the span when its stage completes, as {@link #run} does when the call returns.
     */
    public static <T> CompletionStage<T> runAsync(Tracer tracer, String name, Supplier<CompletionStage<T>> call,
                                                  BiConsumer<Span, T> attributes) {
        Span span = tracer.spanBuilder(name).startSpan();
        CompletionStage<T> stage;
        try (Scope ignored = span.makeCurrent()) {
            stage = call.get();
        } catch (RuntimeException e) {
            end(span, null, e, attributes);
            throw e;
        }
        return stage.whenComplete((result, failure) -> end(span, result,
                failure == null ? null : runtime(Stages.unwrap(failure)), attributes));
    }

    private static RuntimeException runtime(Throwable t) {
        return t instanceof RuntimeException e ? e : new IllegalStateException(t);
    }

    /**
     * Ends a span started elsewhere (a call answered in a batch, under its own parent): with the result's
     * attributes, or with status ERROR and the failure's message.
     */
    public static <T> void end(Span span, T result, RuntimeException failure, BiConsumer<Span, T> attributes) {
        try {
            if (failure != null) {
                span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
            } else {
                attributes.accept(span, result);
            }
        } finally {
            span.end();
        }
    }
}
