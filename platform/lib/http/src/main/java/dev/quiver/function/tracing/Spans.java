package dev.quiver.function.tracing;

import dev.quiver.error.Stages;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Runs a call in a span of its own, current on the calling thread while it runs ({@link #run}, {@link #runAsync}), or
 * describes the span of the request it serves ({@link #describing}, {@link #describingAsync}, {@link #describedIn}).
 */
public final class Spans {

    /** The attribute that carries the failure of a call that described its request's span ({@link Described#finish}). */
    public static final String ERROR = "quiver.error";

    private Spans() {
    }

    /**
     * Runs {@code call} in a new span named {@code name}; {@code attributes} names the result's attributes. A call
     * that fails ends the span with status ERROR and the failure's message, and the failure goes on.
     */
    public static <T> T run(Tracer tracer, String name, Supplier<T> call, BiConsumer<Span, T> attributes) {
        return runIn(own(tracer, name, Context.current()), call, attributes);
    }

    /**
     * Starts {@code call} in a new span named {@code name}, current on the calling thread while the call starts,
     * and ends the span when its stage completes, as {@link #run} does when the call returns.
     */
    public static <T> CompletionStage<T> runAsync(Tracer tracer, String name, Supplier<CompletionStage<T>> call,
                                                  BiConsumer<Span, T> attributes) {
        return startIn(own(tracer, name, Context.current()), call, attributes);
    }

    /**
     * Runs {@code call} for the request whose span is current on the calling thread (the server span its door started)
     * and describes that span with the result's attributes ({@link Described#finish}): a request is one span, not a
     * server span with a child of nearly its length, whose start and end would cost each call more than its attributes
     * do. Where no span is current, the call runs in a span of its own named {@code name}, as {@link #run} runs it.
     */
    public static <T> T describing(Tracer tracer, String name, Supplier<T> call, BiConsumer<Span, T> attributes) {
        return runIn(describedIn(tracer, name, Context.current()), call, attributes);
    }

    /** {@link #describing} for a call that answers with a stage: the span is described when the stage completes. */
    public static <T> CompletionStage<T> describingAsync(Tracer tracer, String name,
                                                        Supplier<CompletionStage<T>> call,
                                                        BiConsumer<Span, T> attributes) {
        return startIn(describedIn(tracer, name, Context.current()), call, attributes);
    }

    /** Runs {@code call} with {@code described}'s span current when it is the call's own, then finishes it. */
    private static <T> T runIn(Described described, Supplier<T> call, BiConsumer<Span, T> attributes) {
        T result;
        try (Scope ignored = described.own() ? described.context().makeCurrent() : Scope.noop()) {
            result = call.get();
        } catch (RuntimeException e) {
            described.finish(null, e, attributes);
            throw e;
        }
        described.finish(result, null, attributes);
        return result;
    }

    /** {@link #runIn} for a call that answers with a stage: the span is finished when the stage completes. */
    private static <T> CompletionStage<T> startIn(Described described, Supplier<CompletionStage<T>> call,
                                                  BiConsumer<Span, T> attributes) {
        CompletionStage<T> stage;
        try (Scope ignored = described.own() ? described.context().makeCurrent() : Scope.noop()) {
            stage = call.get();
        } catch (RuntimeException e) {
            described.finish(null, e, attributes);
            throw e;
        }
        return stage.whenComplete((result, failure) -> described.finish(result,
                failure == null ? null : runtime(Stages.unwrap(failure)), attributes));
    }

    /**
     * The span that describes a call which arrived in {@code trace} (a call of a batch, answered apart from the thread
     * it arrived on): the request's span there or, where there is none, a new span named {@code name} under it.
     */
    public static Described describedIn(Tracer tracer, String name, Context trace) {
        Span request = Span.fromContext(trace);
        if (request.getSpanContext().isValid()) {
            return new Described(request, trace, false);
        }
        return own(tracer, name, trace);
    }

    /** A new span named {@code name} under {@code trace}, the call's own. */
    private static Described own(Tracer tracer, String name, Context trace) {
        Span own = tracer.spanBuilder(name).setParent(trace).startSpan();
        return new Described(own, trace.with(own), true);
    }

    /**
     * A call's span: {@code span}, within {@code context}, the call's own when {@code own} (it ends with the call) and
     * else the request's, which its door ends.
     */
    public record Described(Span span, Context context, boolean own) {

        /**
         * Describes the span with the result's attributes, or with the failure: a span of the call's own ends with
         * status ERROR and the failure's message ({@link #end}); a request's span gets the message as {@value #ERROR}
         * and keeps the status its door sets, since an HTTP server span is an error for a 5xx answer only and a
         * request refused for its input was served as it should be.
         */
        public <T> void finish(T result, RuntimeException failure, BiConsumer<Span, T> attributes) {
            if (own) {
                end(span, result, failure, attributes);
            } else if (failure != null) {
                span.setAttribute(ERROR, String.valueOf(failure.getMessage()));
            } else {
                attributes.accept(span, result);
            }
        }
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
