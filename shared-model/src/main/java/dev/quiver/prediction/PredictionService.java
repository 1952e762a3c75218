package dev.quiver.prediction;

import dev.quiver.inference.BadRowException;
import dev.quiver.inference.LoadedModel;
import dev.quiver.inference.ServedModel;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.tensor.Datatype;
import dev.quiver.tensor.Tensor;
import dev.quiver.tensor.TensorSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Scores requests against registered models: named-feature rows ({@link #predict}) and raw tensors in the
 * Open Inference Protocol's terms ({@link #infer}).
 *
 * <p>Everything about the input is checked before the model runs, and every problem is a BAD_INPUT,
 * NOT_FOUND or TOO_LARGE naming the field, never an error from the runtime.
 */
public final class PredictionService {

    private final ModelRegistry registry;
    private final int maxRows;
    private final PredictionObserver observer;
    private final EntityFeatures entityFeatures;
    private volatile PredictionCapture capture = PredictionCapture.NONE;

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
        this.observer = observer;
        this.entityFeatures = entityFeatures;
    }

    /** Where every successful prediction's inputs and outputs are captured (for drift); none by default. */
    public void captureTo(PredictionCapture capture) {
        this.capture = capture;
    }

    /** The most rows one request may carry. */
    public int maxRows() {
        return maxRows;
    }

    public ModelRegistry registry() {
        return registry;
    }

    /**
     * Scores rows of named features, or entities whose features the online store holds, with the model version
     * the request resolves to.
     */
    public PredictResult predict(PredictRequest request) {
        Check.required(request, "body");
        if (request.entities() != null) {
            return Stages.join(predictEntities(request, false));
        }
        Pending p = pending(0, request);
        return answer(p, runObserved(p.served(), p.input(), p.start()));
    }

    /**
     * Scores as {@link #predict} does, without waiting on the online store: a request by entity id reads it with
     * {@link dev.quiver.feature.OnlineStore#readAsync} and is scored where that read completes (for a network
     * store, the thread its reply arrives on); any other request is scored now, on the calling thread. The stage
     * fails with what {@link #predict} would throw.
     */
    public CompletionStage<PredictResult> predictAsync(PredictRequest request) {
        if (request != null && request.entities() != null) {
            return Stages.call(() -> predictEntities(request, true));
        }
        return Stages.now(() -> predict(request));
    }

    /** What one request of {@link #predictAll} came to: its result, or the error it alone failed with. */
    public record Answer(PredictResult result, RuntimeException error) {

        /** The answer of one call made on its own. */
        public static Answer of(java.util.function.Supplier<PredictResult> call) {
            try {
                return new Answer(call.get(), null);
            } catch (RuntimeException e) {
                return new Answer(null, e);
            }
        }
    }

    /**
     * Scores several requests together, as a server does with the requests that arrive at the same moment. Each
     * request is checked, resolved and encoded on its own; then each model version runs once on the rows of every
     * request that resolved to it. Every request gets the answer {@link #predict} would have given it, with its own
     * request id, metrics and capture, and a request that fails fails alone. One run instead of several saves the
     * runtime's fixed cost per call (for a single-row request to a tree ensemble, most of the model's time). For a
     * model that scores each row on its own, which is what a served ONNX graph does unless it mixes rows (a
     * batch-wide normalisation), the rows' results are those of separate runs, up to the rounding of kernels that
     * block work by batch size. A run takes at most {@link #maxRows} rows; more make several runs. Requests by entity
     * id, and a lone request, take {@link #predict}'s path.
     */
    public List<Answer> predictAll(List<PredictRequest> requests) {
        if (requests.size() == 1) {
            return List.of(Answer.of(() -> predict(requests.get(0))));
        }
        Answer[] answers = new Answer[requests.size()];
        Map<ServedModel, List<Pending>> byModel = new IdentityHashMap<>();
        List<ServedModel> order = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            PredictRequest request = requests.get(i);
            if (request == null || request.entities() != null) {
                answers[i] = Answer.of(() -> predict(request));
                continue;
            }
            try {
                Pending p = pending(i, request);
                byModel.computeIfAbsent(p.served(), s -> {
                    order.add(s);
                    return new ArrayList<>();
                }).add(p);
            } catch (RuntimeException e) {
                answers[i] = new Answer(null, e);
            }
        }
        for (ServedModel served : order) {
            // at most maxRows rows a run, as one request may carry: a burst of calls never makes one huge run
            List<Pending> run = new ArrayList<>();
            int rows = 0;
            for (Pending p : byModel.get(served)) {
                if (rows + p.rows() > maxRows && !run.isEmpty()) {
                    scoreTogether(served, run, answers);
                    run = new ArrayList<>();
                    rows = 0;
                }
                run.add(p);
                rows += p.rows();
            }
            scoreTogether(served, run, answers);
        }
        return Arrays.asList(answers);
    }

    /** A request of rows checked, resolved and encoded, waiting for its model's run. */
    private record Pending(int index, long start, ServedModel served, Tensor input, Served as) {
        int rows() {
            return (int) input.shape()[0];
        }
    }

    /** Checks a request of rows, resolves its model version and encodes its rows; {@code index}: its place in a batch. */
    private Pending pending(int index, PredictRequest request) {
        long start = System.nanoTime();
        Check.required(request, "body").check();
        List<Map<String, Object>> rows = checkedRows(request);
        ServedModel served = namedInputModel(request);
        String id = requestId(request);
        return new Pending(index, start, served, encode(served, rows), new Served(id, request.rowNumbers()));
    }

    /** Runs one model once on the rows of every pending request; if that run fails, each request runs alone. */
    private void scoreTogether(ServedModel served, List<Pending> pending, Answer[] answers) {
        if (pending.size() > 1) {
            Tensor input = concat(pending);
            int rows = (int) input.shape()[0];
            int classes = served.descriptor().labels().size();
            Outputs all;
            try {
                all = run(served, input);
            } catch (RuntimeException e) {
                all = null; // a failure is put down to its own request below, where each runs alone
            }
            if (all != null && (all.p().length != rows * classes || all.labels() != null && all.labels().length != rows)) {
                all = null; // outputs that do not split by row: each request alone, where toRows reports them
            }
            if (all != null) {
                int offset = 0;
                for (Pending p : pending) {
                    int n = p.rows();
                    Outputs mine = all.slice(offset, n, classes);
                    offset += n;
                    answers[p.index()] = Answer.of(() -> answer(p, mine));
                }
                observer.batched(served.key(), pending.size(), offset);
                return;
            }
        }
        for (Pending p : pending) {
            answers[p.index()] = Answer.of(() -> answer(p, runObserved(served, p.input(), p.start())));
        }
    }

    private PredictResult answer(Pending p, Outputs outputs) {
        ServedModel served = p.served();
        return new PredictResult(p.as().requestId(), served.key().name(), served.key().version(),
                finish(served, p.input(), outputs, p.start(), p.as()));
    }

    /** The pending requests' inputs as one tensor, their rows one after the other. */
    private static Tensor concat(List<Pending> pending) {
        Tensor first = pending.get(0).input();
        int rows = 0;
        for (Pending p : pending) {
            rows += p.rows();
        }
        long width = first.shape()[1];
        int length = Math.toIntExact(rows * width);
        Object all = first.data() instanceof double[] ? new double[length] : new float[length];
        int at = 0;
        for (Pending p : pending) {
            int n = java.lang.reflect.Array.getLength(p.input().data());
            System.arraycopy(p.input().data(), 0, all, at, n);
            at += n;
        }
        return new Tensor(first.name(), first.datatype(), new long[] {rows, width}, all);
    }

    /** The checked rows of a request of rows. */
    private List<Map<String, Object>> checkedRows(PredictRequest request) {
        List<Map<String, Object>> rows = request.rows();
        Check.required(rows, "rows");
        Check.that(!rows.isEmpty(), "rows", "must hold at least one row");
        if (rows.size() > maxRows) {
            throw QuiverException.tooLarge("rows", rows.size() + " rows is more than the limit of " + maxRows);
        }
        return rows;
    }

    private CompletionStage<PredictResult> predictEntities(PredictRequest request, boolean async) {
        request.check();
        Check.that(request.rows() == null, "rows", "give either rows of features or entities, not both");
        Check.that(entityFeatures != null, "entities", "this deployment reads no online features; send rows instead");
        int n = request.entities().values().stream().filter(java.util.Objects::nonNull).mapToInt(List::size).max().orElse(0);
        if (n > maxRows) {
            throw QuiverException.tooLarge("entities", n + " entity rows is more than the limit of " + maxRows);
        }
        ServedModel served = namedInputModel(request);
        return entityFeatures.rows(served, request.entities(), async).thenApply(f -> scoreEntities(request, served, f));
    }

    /** Scores the rows read for a request by entity id; a row that lacks a required feature fails alone. */
    private PredictResult scoreEntities(PredictRequest request, ServedModel served, EntityFeatures.Rows f) {
        int size = f.rows().size();
        String[] errors = new String[size];
        f.errors().forEach(e -> errors[e.row()] = e.reason());
        List<PredictResult.Row> scored;
        try {
            scored = scoreValid(served, f.rows(), errors, new Served(requestId(request), request.rowNumbers()));
        } catch (BadRowException e) {
            // a stored value the model cannot take (a category it never saw) fails its own row, not the batch:
            // find every such row with one single-row encoding each, then score the rest once
            for (int r = 0; r < size; r++) {
                if (errors[r] == null) {
                    try {
                        served.encoder().encodeDouble(List.of(f.rows().get(r)));
                    } catch (BadRowException bad) {
                        errors[r] = RowError.stored(r, bad).reason();
                    }
                }
            }
            scored = scoreValid(served, f.rows(), errors, new Served(requestId(request), request.rowNumbers()));
        }
        List<PredictResult.Row> out = new ArrayList<>(size);
        int next = 0;
        Boolean degraded = f.degraded() ? Boolean.TRUE : null;
        for (int e = 0; e < size; e++) {
            Map<String, Object> entity = new LinkedHashMap<>();
            for (int k = 0; k < f.keys().get(e).size(); k++) {
                entity.put(f.keys().get(e).joinKey(k), f.keys().get(e).value(k));
            }
            if (errors[e] != null) {
                out.add(new PredictResult.Row(null, null, served.key().name(), served.key().version(), entity,
                        f.missing().get(e), f.stale().get(e), degraded, errors[e]));
            } else {
                PredictResult.Row r = scored.get(next++);
                out.add(new PredictResult.Row(r.label(), r.probabilities(), r.model(), r.version(), entity,
                        f.missing().get(e), f.stale().get(e), degraded, null));
            }
        }
        return new PredictResult(requestId(request), served.key().name(), served.key().version(), out);
    }

    /** Scores the rows without an error, in order; an empty list when there are none. */
    private List<PredictResult.Row> scoreValid(ServedModel served, List<Map<String, Object>> rows, String[] errors,
                                               Served as) {
        List<Map<String, Object>> ok = new ArrayList<>(rows.size());
        List<Integer> numbers = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            if (errors[r] == null) {
                ok.add(rows.get(r));
                numbers.add(as.rowNumbers() == null ? r : as.rowNumbers().get(r));
            }
        }
        return ok.isEmpty() ? List.of() : score(served, ok, new Served(as.requestId(), numbers));
    }

    private ServedModel namedInputModel(PredictRequest request) {
        ServedModel served = registry.resolve(request.model(), request.version(), request.alias());
        if (served.namedInput() == null) {
            throw QuiverException.badInput("rows", "model " + served.key()
                    + " declares no named features; send tensors through the Open Inference Protocol");
        }
        return served;
    }

    /**
     * Which request the scored rows belong to, and each one's row number in the caller's request (null: 0, 1, 2...),
     * so that a captured prediction can later be matched with its label.
     */
    private record Served(String requestId, List<Integer> rowNumbers) {
    }

    private List<PredictResult.Row> score(ServedModel served, List<Map<String, Object>> rows, Served as) {
        long start = System.nanoTime();
        Tensor input = encode(served, rows);
        return finish(served, input, runObserved(served, input, start), start, as);
    }

    /** The rows as the model's named input: {@code [rows, width]}, FP64 or FP32 as the graph declares. */
    private static Tensor encode(ServedModel served, List<Map<String, Object>> rows) {
        TensorSpec in = served.namedInput();
        long[] shape = {rows.size(), served.encoder().width()};
        return in.datatype() == Datatype.FP64
                ? new Tensor(in.name(), Datatype.FP64, shape, served.encoder().encodeDouble(rows))
                : new Tensor(in.name(), Datatype.FP32, shape, served.encoder().encode(rows));
    }

    /** A run's class probabilities ({@code rows × classes}) and label indices (null when the graph gives none). */
    private record Outputs(double[] p, long[] labels) {

        /** The outputs of {@code n} rows from row {@code from} on. */
        Outputs slice(int from, int n, int classes) {
            return new Outputs(Arrays.copyOfRange(p, from * classes, (from + n) * classes),
                    labels == null ? null : Arrays.copyOfRange(labels, from, from + n));
        }
    }

    private static Outputs run(ServedModel served, Tensor input) {
        ModelDescriptor.Outputs outs = served.descriptor().outputs();
        List<String> names = outs.label() == null ? List.of(outs.probabilities())
                : List.of(outs.label(), outs.probabilities());
        List<Tensor> result = served.model().run(List.of(input), names);
        return new Outputs(asDoubles(result.get(result.size() - 1)), result.size() == 2 ? asLongs(result.get(0)) : null);
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

    private static String requestId(PredictRequest request) {
        return request.requestId() != null ? request.requestId() : requestId();
    }

    /**
     * Runs a model on tensors as the Open Inference Protocol sends them. Checks every input against the
     * graph (name, datatype, shape, data length) and every requested output name first.
     *
     * @param outputs the outputs to return, in order; empty for all of the graph's outputs
     */
    public InferResult infer(String model, String version, List<Tensor> inputs, List<String> outputs) {
        ServedModel served = registry.resolve(model, version, null);
        LoadedModel m = served.model();
        Check.that(inputs != null && !inputs.isEmpty(), "inputs", "must hold at least one tensor");
        Map<String, TensorSpec> graphInputs = new LinkedHashMap<>();
        m.inputs().forEach(s -> graphInputs.put(s.name(), s));
        Set<String> seen = new HashSet<>();
        long rows = 0;
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = inputs.get(i);
            String at = "inputs[" + i + "]";
            TensorSpec spec = graphInputs.get(t.name());
            if (spec == null) {
                throw QuiverException.badInput(at + ".name", "model " + served.key() + " has no input '" + t.name()
                        + "'; its inputs are " + graphInputs.keySet());
            }
            Check.that(seen.add(t.name()), at + ".name", "input '" + t.name() + "' is given twice");
            Check.that(t.datatype() == spec.datatype(), at + ".datatype", "input '" + t.name() + "' is "
                    + spec.datatype() + ", not " + t.datatype());
            Check.that(spec.accepts(t.shape()), at + ".shape", "shape " + java.util.Arrays.toString(t.shape())
                    + " does not fit input '" + t.name() + "' of shape " + java.util.Arrays.toString(spec.shape()));
            long expected = Tensor.elementCount(t.shape(), at + ".shape");
            Check.that(expected == t.length(), at + ".data", "holds " + t.length() + " values but shape "
                    + java.util.Arrays.toString(t.shape()) + " needs " + expected);
            if (t.shape().length > 0) {
                rows = Math.max(rows, t.shape()[0]);
            }
        }
        if (rows > maxRows) {
            throw QuiverException.tooLarge("inputs", "a batch of " + rows + " is more than the limit of " + maxRows);
        }
        for (String name : graphInputs.keySet()) {
            Check.that(seen.contains(name), "inputs", "input '" + name + "' is missing");
        }
        List<String> names = new ArrayList<>();
        if (outputs == null || outputs.isEmpty()) {
            m.outputs().forEach(s -> names.add(s.name()));
        } else {
            Set<String> known = new HashSet<>();
            m.outputs().forEach(s -> known.add(s.name()));
            for (int i = 0; i < outputs.size(); i++) {
                Check.that(known.contains(outputs.get(i)), "outputs[" + i + "].name", "model " + served.key()
                        + " has no output '" + outputs.get(i) + "'; its outputs are " + known);
                names.add(outputs.get(i));
            }
        }
        long start = System.nanoTime();
        List<Tensor> result;
        try {
            result = m.run(inputs, names);
        } catch (RuntimeException e) {
            observer.scored(served.key(), (int) rows, System.nanoTime() - start, false);
            throw e;
        }
        observer.scored(served.key(), (int) rows, System.nanoTime() - start, true);
        return new InferResult(served.key().name(), served.key().version(), result);
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
