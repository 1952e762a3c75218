package dev.quiver.features.push;

import dev.quiver.feature.FeatureWriter;
import dev.quiver.feature.PushRequest;
import dev.quiver.feature.PushResult;
import dev.quiver.function.tracing.Spans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code push} function: Feast's push body in (a push source and a column-major data frame of rows), the
 * rows written to every view the source feeds, newest event time winning, and a {@link PushResult} out. A
 * request with any bad row writes nothing. Served over HTTP ({@code POST /push}) by {@link PushRoute} and by Funqy
 * as a CloudEvent ({@code ce-type: push}, answered with {@code ce-type: push.output}); a bean of its own so the
 * route also works in builds without Funqy (the Lambda build).
 *
 * <p>Each push is a {@code quiver.features.push} span with the push source and the rows written and skipped.
 */
@ApplicationScoped
public class PushFunction {

    private static final AttributeKey<String> SOURCE = AttributeKey.stringKey("quiver.push_source");
    private static final AttributeKey<Long> ROWS = AttributeKey.longKey("quiver.rows");
    private static final AttributeKey<Long> WRITTEN = AttributeKey.longKey("quiver.rows.written");

    private final FeatureWriter features;
    private final Tracer tracer;

    public PushFunction(FeatureWriter features, Tracer tracer) {
        this.features = features;
        this.tracer = tracer;
    }

    @Funq("push")
    public PushResult push(PushRequest request) {
        return Spans.run(tracer, "quiver.features.push", () -> features.push(request), (span, result) -> {
            span.setAttribute(SOURCE, request.pushSourceName());
            span.setAttribute(ROWS, result.rows());
            span.setAttribute(WRITTEN, result.written());
        });
    }
}
