package dev.quiver.prediction;

import dev.quiver.error.Stages;
import dev.quiver.inference.ServedModel;
import dev.quiver.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The dynamic batcher: scores requests of rows that arrive together with one model run per model version, as a
 * server does with the requests it reads at the same moment. One run instead of several saves the runtime's fixed
 * cost per call (for a single-row request to a tree ensemble, most of the model's time).
 *
 * <p>Contract:
 * <ul>
 *   <li>Answer {@code i} belongs to request {@code i}, and is what {@link RowPredictions#predict} would have given it
 *       alone: its own request id, metrics ({@link PredictionObserver#scored} per request) and capture. A request that
 *       fails its checks, or whose share of a run cannot be answered, fails alone.</li>
 *   <li>Requests are grouped by the version they resolve to, in order of first arrival; a run takes whole requests in
 *       arrival order and at most {@code maxRows} rows (the most one request may carry), so a burst of calls never
 *       makes one huge run. A run of several requests is told to {@link PredictionObserver#batched}.</li>
 *   <li>When a shared run fails, or its outputs do not split by row, each of its requests runs alone, so a failure
 *       is put down to the request it belongs to.</li>
 *   <li>For a model that scores each row on its own (what a served ONNX graph does unless it mixes rows, a
 *       batch-wide normalisation), the rows' results are those of separate runs, up to the rounding of kernels
 *       that block work by batch size.</li>
 *   <li>Everything runs on the calling thread: every stage returned is complete on return.</li>
 * </ul>
 * Only requests of rows: requests by entity id are answered alone, by {@link PredictionService}.
 */
final class Batcher {

    private final RowPredictions rows;
    private final int maxRows;
    private final PredictionObserver observer;

    /** @param maxRows the most rows one run takes */
    Batcher(RowPredictions rows, int maxRows, PredictionObserver observer) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, was " + maxRows);
        }
        this.rows = rows;
        this.maxRows = maxRows;
        this.observer = observer;
    }

    /** A request of rows encoded, and its place in the batch. */
    private record Pending(int index, RowPredictions.Encoded request) {
    }

    /** Answers requests of rows that arrived together (see the class comment); answer {@code i} is request i's. */
    List<CompletionStage<PredictResult>> predictAll(List<PredictRequest> requests) {
        if (requests.size() == 1) {
            PredictRequest only = requests.get(0);
            return List.of(Stages.now(() -> rows.predict(only)));
        }
        @SuppressWarnings("unchecked")
        CompletionStage<PredictResult>[] answers = new CompletionStage[requests.size()];
        Map<ServedModel, List<Pending>> byModel = new IdentityHashMap<>();
        List<ServedModel> order = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            try {
                RowPredictions.Encoded e = rows.encode(requests.get(i));
                byModel.computeIfAbsent(e.served(), s -> {
                    order.add(s);
                    return new ArrayList<>();
                }).add(new Pending(i, e));
            } catch (RuntimeException e) {
                answers[i] = CompletableFuture.failedFuture(e);
            }
        }
        for (ServedModel served : order) {
            List<Pending> run = new ArrayList<>();
            int n = 0;
            for (Pending p : byModel.get(served)) {
                if (n + p.request().rows() > maxRows && !run.isEmpty()) {
                    scoreTogether(served, run, answers);
                    run = new ArrayList<>();
                    n = 0;
                }
                run.add(p);
                n += p.request().rows();
            }
            scoreTogether(served, run, answers);
        }
        return Arrays.asList(answers);
    }

    /** Runs one model once on the rows of every pending request; if that run fails, each request runs alone. */
    private void scoreTogether(ServedModel served, List<Pending> pending, CompletionStage<PredictResult>[] answers) {
        if (pending.size() > 1) {
            Tensor input = concat(pending);
            int n = (int) input.shape()[0];
            int classes = served.descriptor().labels().size();
            RowPredictions.Outputs all;
            try {
                all = RowPredictions.run(served, input);
            } catch (RuntimeException e) {
                all = null; // a failure is put down to its own request below, where each runs alone
            }
            if (all != null && (all.p().length != n * classes || all.labels() != null && all.labels().length != n)) {
                all = null; // outputs that do not split by row: each request alone, where the split reports them
            }
            if (all != null) {
                int offset = 0;
                for (Pending p : pending) {
                    RowPredictions.Outputs mine = all.slice(offset, p.request().rows(), classes);
                    offset += p.request().rows();
                    answers[p.index()] = Stages.now(() -> rows.answer(p.request(), mine));
                }
                observer.batched(served.key(), pending.size(), offset);
                return;
            }
        }
        for (Pending p : pending) {
            answers[p.index()] = Stages.now(() -> rows.answer(p.request()));
        }
    }

    /** The pending requests' inputs as one tensor, their rows one after the other. */
    private static Tensor concat(List<Pending> pending) {
        Tensor first = pending.get(0).request().input();
        int n = 0;
        for (Pending p : pending) {
            n += p.request().rows();
        }
        long width = first.shape()[1];
        int length = Math.toIntExact(n * width);
        Object all = first.data() instanceof double[] ? new double[length] : new float[length];
        int at = 0;
        for (Pending p : pending) {
            int size = java.lang.reflect.Array.getLength(p.request().input().data());
            System.arraycopy(p.request().input().data(), 0, all, at, size);
            at += size;
        }
        return new Tensor(first.name(), first.datatype(), new long[] {n, width}, all);
    }
}
