package dev.quiver.agent.function;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

import java.util.Optional;

/** The W3C {@code traceparent} of the current span, which the agent carries on every envelope it sends on. */
final class Traceparents {

    private Traceparents() {
    }

    /** {@code 00-<trace id>-<span id>-<flags>} of the current span, or empty outside a trace. */
    static Optional<String> current() {
        SpanContext c = Span.current().getSpanContext();
        if (!c.isValid()) {
            return Optional.empty();
        }
        return Optional.of("00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex());
    }
}
