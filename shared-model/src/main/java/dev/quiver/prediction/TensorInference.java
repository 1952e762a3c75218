package dev.quiver.prediction;

import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.inference.LoadedModel;
import dev.quiver.inference.ServedModel;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.tensor.Tensor;
import dev.quiver.tensor.TensorSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a model on raw tensors as the Open Inference Protocol sends them, after checking them against the graph.
 *
 * <p>Before the model runs: every input must name a graph input ({@code inputs[i].name}), once, with the graph's
 * datatype ({@code inputs[i].datatype}), a shape the graph accepts ({@code inputs[i].shape}) and as many values as
 * its shape holds ({@code inputs[i].data}); every graph input must be given; the batch (the largest first dimension)
 * may be at most {@code maxRows} (TOO_LARGE on {@code inputs}); every requested output must exist
 * ({@code outputs[i].name}). Each problem is a BAD_INPUT naming that field, never an error from the runtime. Each run
 * is told to the {@link PredictionObserver}, failed or not. Thread-safe; runs on the calling thread.
 */
final class TensorInference {

    private final ModelRegistry registry;
    private final int maxRows;
    private final PredictionObserver observer;

    TensorInference(ModelRegistry registry, int maxRows, PredictionObserver observer) {
        this.registry = registry;
        this.maxRows = maxRows;
        this.observer = observer;
    }

    /** @param outputs the outputs to return, in order; null or empty for all of the graph's outputs */
    InferResult infer(String model, String version, List<Tensor> inputs, List<String> outputs) {
        ServedModel served = registry.resolve(model, version, null);
        LoadedModel m = served.model();
        long rows = checkInputs(served, inputs);
        List<String> names = outputNames(served, outputs);
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

    /** Checks the inputs against the graph's; returns the batch size. */
    private long checkInputs(ServedModel served, List<Tensor> inputs) {
        Check.that(inputs != null && !inputs.isEmpty(), "inputs", "must hold at least one tensor");
        Map<String, TensorSpec> graphInputs = new LinkedHashMap<>();
        served.model().inputs().forEach(s -> graphInputs.put(s.name(), s));
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
            Check.that(spec.accepts(t.shape()), at + ".shape", "shape " + Arrays.toString(t.shape())
                    + " does not fit input '" + t.name() + "' of shape " + Arrays.toString(spec.shape()));
            long expected = Tensor.elementCount(t.shape(), at + ".shape");
            Check.that(expected == t.length(), at + ".data", "holds " + t.length() + " values but shape "
                    + Arrays.toString(t.shape()) + " needs " + expected);
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
        return rows;
    }

    /** The outputs to run: those asked for, each checked, or all of the graph's. */
    private static List<String> outputNames(ServedModel served, List<String> outputs) {
        List<String> names = new ArrayList<>();
        if (outputs == null || outputs.isEmpty()) {
            served.model().outputs().forEach(s -> names.add(s.name()));
            return names;
        }
        Set<String> known = new HashSet<>();
        served.model().outputs().forEach(s -> known.add(s.name()));
        for (int i = 0; i < outputs.size(); i++) {
            Check.that(known.contains(outputs.get(i)), "outputs[" + i + "].name", "model " + served.key()
                    + " has no output '" + outputs.get(i) + "'; its outputs are " + known);
            names.add(outputs.get(i));
        }
        return names;
    }
}
