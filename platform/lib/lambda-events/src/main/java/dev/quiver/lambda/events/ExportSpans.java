package dev.quiver.lambda.events;

import dev.quiver.function.tracing.InvocationSpans;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Exports the spans of a {@link SpansBeforeAnswer} function's call when it returns or fails, outside every other
 * interceptor, so that spans those end are exported too.
 */
@SpansBeforeAnswer
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE)
public class ExportSpans {

    @Inject
    InvocationSpans spans;

    @Inject
    OpenTelemetry telemetry;

    @AroundInvoke
    Object exportAfter(InvocationContext call) throws Exception {
        try {
            return call.proceed();
        } finally {
            spans.flush(telemetry);
        }
    }
}
