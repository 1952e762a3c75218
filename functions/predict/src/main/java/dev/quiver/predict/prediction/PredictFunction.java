package dev.quiver.predict.prediction;

import dev.quiver.function.tracing.Spans;
import dev.quiver.prediction.PredictRequest;
import dev.quiver.prediction.PredictResult;
import dev.quiver.rollout.RoutedPredictions;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The {@code predict} function: rows of named features in, a label and class probabilities per row out,
 * with the model version that answered and, under a rollout, the rollout that chose it. Served over HTTP ({@code POST /predict}, locally and on Lambda) by
 * {@link PredictRoute}, and by Funqy as a CloudEvent ({@code ce-type: predict}). A bean of its own, so that the
 * route can call it in builds without a Funqy extension (the Lambda build).
 */
@ApplicationScoped
public class PredictFunction {

    @Inject
    RoutedPredictions service;

    @Inject
    Tracer tracer;

    @Funq("predict")
    public PredictResult predict(PredictRequest request) {
        return Spans.run(tracer, "quiver.predict", () -> service.predict(request), (span, r) -> {
            span.setAttribute("quiver.model.name", r.model());
            span.setAttribute("quiver.model.version", r.version());
            span.setAttribute("quiver.rows", r.predictions().size());
            if (r.rollout() != null) {
                span.setAttribute("quiver.rollout", r.rollout());
            }
        });
    }
}
