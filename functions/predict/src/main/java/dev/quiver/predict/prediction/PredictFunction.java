package dev.quiver.predict.prediction;

import dev.quiver.error.Stages;
import dev.quiver.function.http.JsonRoute;
import dev.quiver.function.tracing.Spans;
import dev.quiver.prediction.PredictRequest;
import dev.quiver.prediction.PredictResult;
import dev.quiver.prediction.PredictionService;
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
        return Spans.run(tracer, "quiver.predict", () -> service.predict(request), PredictFunction::describe);
    }

    /**
     * Predicts as {@link #predict} does without waiting on the online store
     * ({@link RoutedPredictions#predictAsync}); the span ends when the answer's stage completes.
     */
    public CompletionStage<PredictResult> predictAsync(PredictRequest request) {
        return Spans.runAsync(tracer, "quiver.predict", () -> service.predictAsync(request), PredictFunction::describe);
    }

    /**
     * Answers calls that arrived together ({@link PredictRoute}): those with rows are scored together
     * ({@link RoutedPredictions#predictAll}), each in a span of its own under the trace it arrived in; those by
     * entity id are started one by one ({@link #predictAsync}), since each reads the online store under its own
     * span, and answer when their reads do.
     */
    public List<CompletionStage<PredictResult>> predictAll(List<JsonRoute.Call<PredictRequest>> calls) {
        List<CompletionStage<PredictResult>> outcomes = new ArrayList<>(Collections.nCopies(calls.size(), null));
        List<PredictRequest> rows = new ArrayList<>(calls.size());
        List<Integer> rowsAt = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            JsonRoute.Call<PredictRequest> call = calls.get(i);
            if (call.request() == null || call.request().entities() != null) {
                try (Scope ignored = call.trace().makeCurrent()) {
                    outcomes.set(i, Stages.call(() -> predictAsync(call.request())));
                }
            } else {
                rows.add(call.request());
                rowsAt.add(i);
            }
        }
        List<Span> spans = new ArrayList<>(rows.size());
        for (int i : rowsAt) {
            spans.add(tracer.spanBuilder("quiver.predict").setParent(calls.get(i).trace()).startSpan());
        }
        List<PredictionService.Answer> answers;
        try {
            answers = rows.isEmpty() ? List.of() : service.predictAll(rows);
        } catch (RuntimeException e) {
            answers = Collections.nCopies(rows.size(), new PredictionService.Answer(null, e));
        }
        for (int k = 0; k < rows.size(); k++) {
            PredictionService.Answer a = answers.get(k);
            Spans.end(spans.get(k), a.result(), a.error(), PredictFunction::describe);
            outcomes.set(rowsAt.get(k), outcome(a));
        }
        return outcomes;
    }

    private static CompletionStage<PredictResult> outcome(PredictionService.Answer a) {
        return a.error() != null ? CompletableFuture.failedFuture(a.error()) : CompletableFuture.completedFuture(a.result());
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
