package dev.quiver.predict.prediction;

import dev.quiver.error.Stages;
import dev.quiver.function.http.JsonRoute;
import dev.quiver.function.tracing.Spans;
import dev.quiver.prediction.PredictRequest;
import dev.quiver.prediction.PredictResult;
import dev.quiver.rollout.RoutedPredictions;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code predict} function: rows of named features in, a label and class probabilities per row out,
 * with the model version that answered and, under a rollout, the rollout that chose it. Served over HTTP
 * ({@code POST /predict}, locally and on Lambda) by {@link PredictRoute}, and by Funqy as a CloudEvent ({@code ce-type: predict}). A bean of its own, so that the
 * route can call it in builds without a Funqy extension (the Lambda build).
 */
@ApplicationScoped
public class PredictFunction {

    /** The span a prediction runs in when no request span is current (a call from a test, or a door without one). */
    static final String SPAN = "quiver.predict";

    @Inject
    RoutedPredictions service;

    @Inject
    Tracer tracer;

    /**
     * Predicts ({@link RoutedPredictions#predict}) and describes the request's span with the model, version and row
     * count (and the rollout) once the answer's stage completes, a prediction by entity id reading the online store
     * without waiting on it; a call without a request span runs in a {@value #SPAN} span ({@link Spans#describingAsync}).
     */
    public CompletionStage<PredictResult> predict(PredictRequest request) {
        return Spans.describingAsync(tracer, SPAN, () -> service.predict(request), PredictFunction::describe);
    }

    /**
     * {@link #predict}, waiting for the answer: for Funqy's doors and for the HTTP door's worker threads, where a
     * call may wait.
     */
    @Funq("predict")
    public PredictResult predictNow(PredictRequest request) {
        return Stages.join(predict(request));
    }

    /**
     * Answers calls that arrived together ({@link PredictRoute}) through {@link RoutedPredictions#predictAll} and
     * describes each call's request span, as {@link #predict} does; a call answered alone (by entity id, under a
     * rollout) starts with its trace current, so that what it starts (an online-store read) is traced under it.
     */
    public List<CompletionStage<PredictResult>> predictAll(List<JsonRoute.Call<PredictRequest>> calls) {
        List<PredictRequest> requests = new ArrayList<>(calls.size());
        List<Spans.Described> spans = new ArrayList<>(calls.size());
        for (JsonRoute.Call<PredictRequest> call : calls) {
            requests.add(call.request());
            spans.add(Spans.describedIn(tracer, SPAN, call.trace()));
        }
        List<CompletionStage<PredictResult>> answers;
        try {
            answers = service.predictAll(requests, (i, start) -> {
                try (Scope ignored = spans.get(i).context().makeCurrent()) {
                    return start.get();
                }
            });
        } catch (RuntimeException e) {
            answers = Collections.nCopies(calls.size(), CompletableFuture.failedFuture(e));
        }
        List<CompletionStage<PredictResult>> outcomes = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            Spans.Described span = spans.get(i);
            outcomes.add(answers.get(i).whenComplete((result, failure) -> span.finish(result,
                    failure == null ? null : Stages.cause(failure), PredictFunction::describe)));
        }
        return outcomes;
    }

    private static void describe(Span span, PredictResult r) {
        span.setAttribute("quiver.model.name", r.model());
        span.setAttribute("quiver.model.version", r.version());
        span.setAttribute("quiver.rows", r.predictions().size());
        if (r.rollout() != null) {
            span.setAttribute("quiver.rollout", r.rollout());
        }
    }
}
