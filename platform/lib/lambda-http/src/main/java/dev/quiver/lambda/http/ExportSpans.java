package dev.quiver.lambda.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.quiver.function.tracing.InvocationSpans;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

/**
 * Exports an HTTPS invocation's spans before its answer goes back to Lambda ({@link InvocationSpans}): it decorates
 * quarkus-amazon-lambda-http's handler, which Quarkus's Lambda poll loop calls once per API Gateway event, and which
 * Quarkus does not let a function replace with a handler of its own.
 */
@Decorator
@Priority(1)
public abstract class ExportSpans implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    @Inject
    @Delegate
    @Any
    RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;

    @Inject
    InvocationSpans spans;

    @Inject
    OpenTelemetry telemetry;

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try {
            return handler.handleRequest(event, context);
        } finally {
            spans.flush(telemetry);
        }
    }
}
