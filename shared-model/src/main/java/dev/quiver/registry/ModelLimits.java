package dev.quiver.registry;

/**
 * How large one model version may be, checked by {@link ModelFileCheck} before ONNX Runtime opens the model.
 *
 * <p>The defaults are far above what a model served from a function holds (the demo churn forest is 1 MB, a
 * MiniLM sentence encoder 90 MB; a function has at most 10 GB of memory, and ONNX Runtime holds a model's weights
 * in memory at least once more while it creates the session), and far below what would take a function down: they
 * stop a 10 KB file that declares a 100 GB tensor, which the runtime would try to allocate. Larger models are served
 * from a GPU endpoint, not from a function.
 *
 * @param maxModelBytes  the most bytes a model's files hold together: {@code model.onnx} and the external data files
 *                       it names (a protobuf file cannot exceed 2 GiB whatever this says)
 * @param maxTensorBytes the most bytes the model's tensors may declare in all (elements times element size, for every
 *                       tensor the runtime would load, whether its data is inline, external or sparse and densified)
 */
public record ModelLimits(long maxModelBytes, long maxTensorBytes) {

    /** 1 GiB. */
    public static final long DEFAULT_MAX_MODEL_BYTES = 1L << 30;
    /** 1 GiB. */
    public static final long DEFAULT_MAX_TENSOR_BYTES = 1L << 30;
    /** The defaults: 1 GiB of files, 1 GiB of declared tensors. */
    public static final ModelLimits DEFAULTS = new ModelLimits(DEFAULT_MAX_MODEL_BYTES, DEFAULT_MAX_TENSOR_BYTES);

    /** @throws IllegalArgumentException when a limit is not positive */
    public ModelLimits {
        if (maxModelBytes <= 0) {
            throw new IllegalArgumentException("the largest model size must be positive, not " + maxModelBytes);
        }
        if (maxTensorBytes <= 0) {
            throw new IllegalArgumentException("the largest total of tensor bytes must be positive, not "
                    + maxTensorBytes);
        }
    }
}
