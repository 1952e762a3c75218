package dev.quiver.inference;

import dev.quiver.model.ModelDescriptor;
import dev.quiver.tensor.Tensor;
import dev.quiver.tensor.TensorSpec;

import java.util.List;

/**
 * One model version with a live, warmed-up session.
 *
 * <p>{@link #run} is safe to call from many threads at once. Inputs have been checked by the caller
 * against {@link #inputs()} (names, datatypes, shapes, data lengths); outputs come back in the order asked
 * for, with their shapes as the graph produced them.
 */
public interface LoadedModel extends AutoCloseable {

    ModelDescriptor descriptor();

    /** The graph's inputs, as the runtime reports them; -1 marks a dynamic dimension. */
    List<TensorSpec> inputs();

    /** The graph's outputs, as the runtime reports them; -1 marks a dynamic or unknown dimension. */
    List<TensorSpec> outputs();

    /** Runs the graph; {@code outputNames} selects and orders the outputs returned. */
    List<Tensor> run(List<Tensor> inputs, List<String> outputNames);

    /** Releases the session; later calls to {@link #run} fail. */
    @Override
    void close();
}
