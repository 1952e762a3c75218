package dev.quiver.lambda.http;

import dev.quiver.function.tracing.InvocationSpans;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The HTTPS Lambda builds' {@link InvocationSpans}: Quarkus adds every span processor bean to the tracer provider. */
@Singleton
public class LambdaSpans {

    @Produces
    @Singleton
    InvocationSpans invocationSpans() {
        return new InvocationSpans();
    }
}
