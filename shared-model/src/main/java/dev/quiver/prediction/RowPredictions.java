package dev.quiver.prediction;

import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.inference.ServedModel;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.tensor.Datatype;
import dev.quiver.tensor.Tensor;
import dev.quiver.tensor.TensorSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Scores rows of named features: checks a request of rows, resolves the model version it names, encodes its rows
 * into the model's named input ({@code [rows, width]}, FP64 or FP32 as the graph declares), runs the model and turns
 * its outputs into one answer per row, each scoring told to the {@link PredictionObserver} and, when it succeeds,
 * to the {@link PredictionCapture}.
 *
 * <p>A request is checked whole before the model runs: more than {@code maxRows} rows is TOO_LARGE, any other problem
 * BAD_INPUT or NOT_FOUND naming the field (a bad row as a {@link dev.quiver.inference.BadRowException}). A failed
 * run is counted against the version and rethrown as the runtime threw it. Thread-safe; scoring runs on the calling
 * thread.
 */
final class RowPredictions {

    private final ModelRegistry registry;
    private final int maxRows;
    private final PredictionObserver observer;
    private volatile PredictionCapture capture = PredictionCapture.NONE;

    RowPredictions(ModelRegistry registry, int maxRows, PredictionObserver observer) {
        this.registry = registry;
        this.maxRows = maxRows;
        this.observer = observer;
    }

    void captureTo(PredictionCapture capture) {
        this.capture = capture;
    }

    /**
     * Which request scored rows belong to, and each one's row number in the caller's request (null: 0, 1, 2...), so
     * that a captured prediction can later be matched with its label.
     */
    record Served(String requestId, List<Integer> rowNumbers) {
    }

    /** A request of rows checked, resolved and encoded, not yet run; {@code start}: when its scoring began. */
    record Encoded(long start, ServedModel served, Tensor input, Served as) {
        int rows() {
            return (int) input.shape()[0];
        }
    }

    /** A run's class probabilities ({@code rows × classes}) and label indices (null when the graph gives none). */
    record Outputs(double[] p, long[] labels) {

        /** The outputs of {@code n} rows from row {@code from} on. */
        Outputs slice(int from, int n, int classes) {
            return new Outputs(Arrays.copyOfRange(p, from * classes, (from + n) * classes),
                    labels == null ? null : Arrays.copyOfRange(labels, from, from + n));
        }
    }

    /** Scores a request of rows with the model version it resolves to. */
    PredictResult predict(PredictRequest request) {
        return answer(encode(request));
    }

    /** Checks a request of rows, resolves its model version and encodes its rows. */
    Encoded encode(PredictRequest request) {
        long start = System.nanoTime();
        List<Map<String, Object>> rows = checkedRows(request);
        ServedModel served = namedInputModel(request);
        String id = requestId(request);
        return new Encoded(start, served, encode(served, rows), new Served(id, request.rowNumbers()));
    }

    /**
     * Scores a request of rows with {@code served} instead of the version the request names, checked, encoded, run
     * and answered as {@link #predict} does, but told neither to the observer nor to the capture: for a model that
     * is measured before it is registered.
     */
    PredictResult predictWith(ServedModel served, PredictRequest request) {
        List<Map<String, Object>> rows = checkedRows(request);
        if (served.namedInput() == null) {
            throw QuiverException.badInput("rows", "model " + served.key()
                    + " declares no named features; send tensors through the Open Inference Protocol");
        }
        Tensor input = encode(served, rows);
        Outputs outputs = run(served, input);
        return new PredictResult(requestId(request), served.key().name(), served.key().version(),
                toRows(served, outputs.p(), outputs.labels(), rows.size()));
    }

    private List<Map<String, Object>> checkedRows(PredictRequest request) {
        Check.required(request, "body").check();
        List<Map<String, Object>> rows = request.rows();
        Check.required(rows, "rows");
        Check.that(!rows.isEmpty(), "rows", "must hold at least one row");
        if (rows.size() > maxRows) {
            throw QuiverException.tooLarge("rows", rows.size() + " rows is more than the limit of " + maxRows);
        }
        return rows;
    }

    /** The answer to an encoded request, run on its own. */
    PredictResult answer(Encoded e) {
        return answer(e, runObserved(e.served(), e.input(), e.start()));
    }

    /** The answer to an encoded request from the outputs of its rows (its share of a run). */
    PredictResult answer(Encoded e, Outputs outputs) {
        ServedModel served = e.served();
        return new PredictResult(e.as().requestId(), served.key().name(), served.key().version(),
                finish(served, e.input(), outputs, e.start(), e.as()));
    }

    /** Scores rows already checked against the request's limits, answering as {@code as}. */
    List<PredictResult.Row> score(ServedModel served, List<Map<String, Object>> rows, Served as) {
        long start = System.nanoTime();
        Tensor input = encode(served, rows);
        return finish(served, input, runObserved(served, input, start), start, as);
    }

    /** The version the request resolves to; BAD_INPUT when it takes no named features. */
    ServedModel namedInputModel(PredictRequest request) {
        ServedModel served = registry.resolve(request.model(), request.version(), request.alias());
        if (served.namedInput() == null) {
            throw QuiverException.badInput("rows", "model " + served.key()
                    + " declares no named features; send tensors through the Open Inference Protocol");
        }
        return served;
    }

    static String requestId(PredictRequest request) {
        return request.requestId() != null ? request.requestId() : PredictionService.requestId();
    }

    /** The rows as the model's named input: {@code [rows, width]}, FP64 or FP32 as the graph declares. */
    private static Tensor encode(ServedModel served, List<Map<String, Object>> rows) {
        TensorSpec in = served.namedInput();
        long[] shape = {rows.size(), served.encoder().width()};
        return in.datatype() == Datatype.FP64
                ? new Tensor(in.name(), Datatype.FP64, shape, served.encoder().encodeDouble(rows))
                : new Tensor(in.name(), Datatype.FP32, shape, served.encoder().encode(rows));
    }

    /** Runs the model on {@code input}; the run is not counted (the caller counts it, or its requests). */
    static Outputs run(ServedModel served, Tensor input) {
        ModelDescriptor.Outputs outs = served.descriptor().outputs();
        List<String> names = outs.label() == null ? List.of(outs.probabilities())
                : List.of(outs.label(), outs.probabilities());
        List<Tensor> result = served.model().run(List.of(input), names);
        return new Outputs(asDoubles(result.get(result.size() - 1)),
                result.size() == 2 ? asLongs(result.get(0)) : null);
    }

    /** {@link #run}, counting a failure against the version. */
    private Outputs runObserved(ServedModel served, Tensor input, long start) {
        try {
            return run(served, input);
        } catch (RuntimeException e) {
            observer.scored(served.key(), (int) input.shape()[0], System.nanoTime() - start, false);
            throw e;
        }
    }

    /** The scored rows of one request, with its metrics and capture. */
    private List<PredictResult.Row> finish(ServedModel served, Tensor input, Outputs outputs, long start, Served as) {
        int n = (int) input.shape()[0];
        List<PredictResult.Row> out = toRows(served, outputs.p(), outputs.labels(), n);
        observer.scored(served.key(), n, System.nanoTime() - start, true);
        capture.served(served, input, n, outputs.p(), outputs.labels(), as.requestId(), as.rowNumbers());
        return out;
    }

    private static List<PredictResult.Row> toRows(ServedModel served, double[] p, long[] labelIdx, int n) {
        List<String> labels = served.descriptor().labels();
        int classes = labels.size();
        if (p.length != n * classes) {
            throw new IllegalStateException("model " + served.key() + " returned " + p.length
                    + " probabilities for " + n + " rows of " + classes + " classes");
        }
        List<PredictResult.Row> rows = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            int label;
            if (labelIdx != null) {
                label = (int) labelIdx[r];
            } else {
                label = 0;
                for (int c = 1; c < classes; c++) {
                    if (p[r * classes + c] > p[r * classes + label]) {
                        label = c;
                    }
                }
            }
            rows.add(new PredictResult.Row(labels.get(label), new ClassProbabilities(labels, p, r),
                    served.key().name(), served.key().version()));
        }
        return rows;
    }

    private static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    private static double[] asDoubles(Tensor t) {
        if (t.data() instanceof float[] f) {
            return widen(f);
        }
        if (t.data() instanceof double[] d) {
            return d;
        }
        throw new IllegalStateException("output " + t.name() + " is " + t.datatype() + ", not a float tensor");
    }

    private static long[] asLongs(Tensor t) {
        if (t.data() instanceof long[] l) {
            return l;
        }
        if (t.data() instanceof int[] i) {
            long[] l = new long[i.length];
            for (int k = 0; k < i.length; k++) {
                l[k] = i[k];
            }
            return l;
        }
        throw new IllegalStateException("output " + t.name() + " is " + t.datatype() + ", not an integer tensor");
    }
}
