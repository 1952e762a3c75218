package dev.quiver.wiring.team;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

import java.util.Optional;

/**
 * The W3C {@code traceparent} of the current span: every envelope Quiver sends carries it (a CloudEvent's header, a
 * Kafka header, an A2A message's metadata), so that one trace follows an exchange across the functions.
 */
public final class Traceparents {

    private Traceparents() {
    }

    /** {@code 00-<trace id>-<span id>-<flags>} of the current span, or empty outside a trace. */
    public static Optional<String> current() {
        SpanContext c = Span.current().getSpanContext();
        if (!c.isValid()) {
            return Optional.empty();
        }
        return Optional.of("00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex());
    }
}
