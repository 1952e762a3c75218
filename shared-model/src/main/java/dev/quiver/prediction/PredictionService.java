package dev.quiver.prediction;

import dev.quiver.error.Stages;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Scores requests against registered models: rows of named features and entity ids ({@link #predict},
 * {@link #predictAll}) and raw tensors in the Open Inference Protocol's terms ({@link #infer}). It sorts each call
 * to the class that answers it: {@link RowPredictions} for rows, {@link EntityPredictions} for entity ids,
 * {@link Batcher} for rows that arrive together, {@link TensorInference} for tensors.
 *
 * <p>Everything about the input is checked before the model runs, and every problem is a BAD_INPUT, NOT_FOUND or
 * TOO_LARGE naming the field, never an error from the runtime. A request fails through its stage, never by throwing.
 */
public final class PredictionService {

    private final ModelRegistry registry;
    private final int maxRows;
    private final RowPredictions rows;
    private final EntityPredictions entities;
    private final Batcher batcher;
    private final TensorInference tensors;

    /**
     * How the caller of {@link #predictAll} wraps the start of a request answered on its own rather than in a shared
     * run (by entity id, under a rollout): typically it makes that request's trace context current, so that what the
     * request starts (an online-store read) is traced under it. It calls {@code start} once, on the calling thread,
     * and returns what it returns.
     */
    @FunctionalInterface
    public interface Alone {

        /** Starts each request as it comes. */
        Alone DIRECT = (index, start) -> start.get();

        /** @param index the request's place in the call's list */
        CompletionStage<PredictResult> start(int index, Supplier<CompletionStage<PredictResult>> start);
    }

    /**
     * @param maxRows the most rows (or batch size) one request may carry; more is TOO_LARGE
     */
    public PredictionService(ModelRegistry registry, int maxRows, PredictionObserver observer) {
        this(registry, maxRows, observer, null);
    }

    /**
     * @param entityFeatures where predictions by entity id read their features; null when this deployment
     *                       serves only rows of features
     */
    public PredictionService(ModelRegistry registry, int maxRows, PredictionObserver observer,
                             EntityFeatures entityFeatures) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, was " + maxRows);
        }
        this.registry = registry;
        this.maxRows = maxRows;
        this.rows = new RowPredictions(registry, maxRows, observer);
        this.entities = new EntityPredictions(rows, entityFeatures, maxRows);
        this.batcher = new Batcher(rows, maxRows, observer);
        this.tensors = new TensorInference(registry, maxRows, observer);
    }

    /** Where every successful prediction's inputs and outputs are captured (for drift); none by default. */
    public void captureTo(PredictionCapture capture) {
        rows.captureTo(capture);
    }

    /** The most rows one request may carry. */
    public int maxRows() {
        return maxRows;
    }

    public ModelRegistry registry() {
        return registry;
    }

    /**
     * Scores rows of named features, or entities whose features the online store holds, with the model version the
     * request resolves to. Rows are scored now, on the calling thread, and the stage is complete on return; a request
     * by entity id reads the store without waiting on it and is scored where the read completes (for a network store,
     * the thread its reply arrives on). The stage fails with the request's problem.
     */
    public CompletionStage<PredictResult> predict(PredictRequest request) {
        if (request != null && request.entities() != null) {
            return Stages.call(() -> entities.predict(request));
        }
        return Stages.now(() -> rows.predict(request));
    }

    /**
     * Scores a request of rows with {@code served}, a model loaded but not registered (a
     * {@link dev.quiver.registry.Candidate}), on the calling thread: the request is checked, its rows encoded, the
     * model run and the answer built exactly as {@link #predict} does for the version a request names, but nothing
     * is told to the metrics or captured for drift, which know only registered versions. The request's model,
     * version and alias are not resolved.
     */
    public PredictResult predictWith(dev.quiver.inference.ServedModel served, PredictRequest request) {
        return rows.predictWith(served, request);
    }

    /** {@link #predictAll(List, Alone)}, starting each request answered alone as it comes. */
    public List<CompletionStage<PredictResult>> predictAll(List<PredictRequest> requests) {
        return predictAll(requests, Alone.DIRECT);
    }

    /**
     * Scores requests that arrived together, as a server does with the requests it reads at the same moment: the
     * requests of rows by the {@link Batcher} (one run per model version), any other one alone through
     * {@link #predict}, started through {@code alone}. Answer {@code i} belongs to request {@code i} and is what
     * {@link #predict} would have answered; a request that fails fails alone.
     */
    public List<CompletionStage<PredictResult>> predictAll(List<PredictRequest> requests, Alone alone) {
        List<CompletionStage<PredictResult>> answers = new ArrayList<>(Collections.nCopies(requests.size(), null));
        List<PredictRequest> batched = new ArrayList<>(requests.size());
        List<Integer> batchedAt = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            PredictRequest request = requests.get(i);
            if (request == null || request.entities() != null) {
                int at = i;
                answers.set(i, Stages.call(() -> alone.start(at, () -> predict(request))));
            } else {
                batched.add(request);
                batchedAt.add(i);
            }
        }
        List<CompletionStage<PredictResult>> scored = batched.isEmpty() ? List.of() : batcher.predictAll(batched);
        for (int k = 0; k < scored.size(); k++) {
            answers.set(batchedAt.get(k), scored.get(k));
        }
        return answers;
    }

    /**
     * Runs a model on tensors as the Open Inference Protocol sends them. Checks every input against the
     * graph (name, datatype, shape, data length) and every requested output name first ({@link TensorInference}).
     *
     * @param outputs the outputs to return, in order; empty for all of the graph's outputs
     */
    public InferResult infer(String model, String version, List<Tensor> inputs, List<String> outputs) {
        return tensors.infer(model, version, inputs, outputs);
    }

    /**
     * A random (version 4) UUID for a request without one. Request ids need to be unique, not
     * unguessable, so they come from {@link ThreadLocalRandom} rather than {@link UUID#randomUUID()}'s
     * lock-guarded secure generator, which costs microseconds per call on the request path.
     */
    public static String requestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }
}
