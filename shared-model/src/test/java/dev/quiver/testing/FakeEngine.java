package dev.quiver.testing;

import dev.quiver.error.QuiverException;
import dev.quiver.inference.InferenceEngine;
import dev.quiver.inference.LoadedModel;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.model.ModelKey;
import dev.quiver.tensor.Datatype;
import dev.quiver.tensor.Tensor;
import dev.quiver.tensor.TensorSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An inference engine for tests. It refuses artifacts that are not {@link Artifacts#model} bytes with
 * REJECTED, as a runtime refuses a file it cannot read, and records what it loaded and ran.
 *
 * <p>A descriptor with named inputs loads as a two-class classifier whose answer depends on the first slot
 * {@code x} of each row: probabilities {@code [1/(1+x), x/(1+x)]} for {@code no, yes}, and, when the
 * descriptor names a label output, the class index {@code x >= 1 ? 1 : 0}.
 *
 * <p>A descriptor without named inputs loads as a tensor model with inputs {@code x FP32 [-1, -1]} and
 * {@code bias FP32 [1]}, and outputs {@code sum FP32 [-1]} (row sum plus bias) and {@code max FP32 [-1]}
 * (row maximum).
 */
public final class FakeEngine implements InferenceEngine {

    /** Every successful load, in order. */
    public final List<ModelKey> loads = new ArrayList<>();
    /** Every model handed out. */
    public final List<FakeModel> models = new ArrayList<>();

    @Override
    public LoadedModel load(ModelDescriptor descriptor, Path artifact) {
        String content;
        try {
            content = new String(Files.readAllBytes(artifact), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!content.startsWith(Artifacts.MAGIC)) {
            throw QuiverException.rejected("model", "not an ONNX model");
        }
        FakeModel m = new FakeModel(descriptor);
        loads.add(new ModelKey(descriptor.name(), descriptor.version()));
        models.add(m);
        return m;
    }

    /** The inputs of every run of every model, newest last. */
    public List<List<Tensor>> runs() {
        List<List<Tensor>> all = new ArrayList<>();
        models.forEach(m -> all.addAll(m.runs));
        return all;
    }

    public static final class FakeModel implements LoadedModel {
        private final ModelDescriptor descriptor;
        private final List<TensorSpec> inputs;
        private final List<TensorSpec> outputs;
        public final List<List<Tensor>> runs = new ArrayList<>();
        public boolean closed;
        /** A run whose first input holds this value fails, as a runtime failing on some data would; NaN: none. */
        public double failOn = Double.NaN;
        /** Answer for one row fewer than asked, as a broken graph would. */
        public boolean shortOutputs;

        FakeModel(ModelDescriptor d) {
            this.descriptor = d;
            if (d.inputSpec() != null) {
                inputs = List.of(d.inputSpec());
                List<TensorSpec> outs = new ArrayList<>();
                if (d.outputs().label() != null) {
                    outs.add(new TensorSpec(d.outputs().label(), Datatype.INT64, new long[] {-1}));
                }
                outs.add(new TensorSpec(d.outputs().probabilities(), Datatype.FP32, new long[] {-1, 2}));
                outputs = List.copyOf(outs);
            } else {
                inputs = List.of(new TensorSpec("x", Datatype.FP32, new long[] {-1, -1}),
                        new TensorSpec("bias", Datatype.FP32, new long[] {1}));
                outputs = List.of(new TensorSpec("sum", Datatype.FP32, new long[] {-1}),
                        new TensorSpec("max", Datatype.FP32, new long[] {-1}));
            }
        }

        @Override
        public ModelDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public List<TensorSpec> inputs() {
            return inputs;
        }

        @Override
        public List<TensorSpec> outputs() {
            return outputs;
        }

        @Override
        public List<Tensor> run(List<Tensor> in, List<String> outputNames) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            runs.add(in);
            if (!Double.isNaN(failOn) && holds(in.get(0), failOn)) {
                throw new IllegalStateException("the runtime failed on " + failOn);
            }
            List<Tensor> out = new ArrayList<>();
            for (String name : outputNames) {
                out.add(descriptor.inputSpec() != null ? classify(in.get(0), name) : sumAndMax(in, name));
            }
            return out;
        }

        private static boolean holds(Tensor t, double value) {
            if (t.data() instanceof double[] d) {
                return java.util.Arrays.stream(d).anyMatch(v -> v == value);
            }
            float[] f = (float[]) t.data();
            for (float v : f) {
                if (v == value) {
                    return true;
                }
            }
            return false;
        }

        private Tensor classify(Tensor features, String output) {
            int width = (int) features.shape()[1];
            int rows = (int) features.shape()[0] - (shortOutputs ? 1 : 0);
            float[] probs = new float[rows * 2];
            long[] labels = new long[rows];
            for (int r = 0; r < rows; r++) {
                double x = features.data() instanceof double[] d ? d[r * width] : ((float[]) features.data())[r * width];
                probs[2 * r] = (float) (1 / (1 + x));
                probs[2 * r + 1] = (float) (x / (1 + x));
                labels[r] = x >= 1 ? 1 : 0;
            }
            return output.equals(descriptor.outputs().probabilities())
                    ? Tensor.of(output, probs, rows, 2) : Tensor.of(output, labels, rows);
        }

        private static Tensor sumAndMax(List<Tensor> in, String output) {
            Tensor x = in.stream().filter(t -> t.name().equals("x")).findFirst().orElseThrow();
            float bias = ((float[]) in.stream().filter(t -> t.name().equals("bias")).findFirst().orElseThrow().data())[0];
            float[] v = (float[]) x.data();
            int rows = (int) x.shape()[0];
            int width = (int) x.shape()[1];
            float[] result = new float[rows];
            for (int r = 0; r < rows; r++) {
                float sum = bias;
                float max = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < width; c++) {
                    sum += v[r * width + c];
                    max = Math.max(max, v[r * width + c]);
                }
                result[r] = output.equals("sum") ? sum : max;
            }
            return Tensor.of(output, result, rows);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
