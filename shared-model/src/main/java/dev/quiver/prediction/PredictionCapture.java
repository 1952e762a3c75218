package dev.quiver.prediction;

import dev.quiver.inference.ServedModel;
import dev.quiver.tensor.Tensor;

/**
 * Told about every successful prediction of rows of named features, with the input exactly as the model received
 * it and the model's outputs, so that what was served can be profiled for drift. Called on the request thread:
 * must be quick (a microsecond a row) and must never throw.
 */
public interface PredictionCapture {

    PredictionCapture NONE = (served, input, rows, probabilities, labelIndex, requestId, rowNumbers) -> { };

    /**
     * @param input         the encoded rows (FP32 or FP64, {@code rows × width}) in the descriptor's layout
     * @param probabilities {@code rows × classes} class probabilities, in the descriptor's class order
     * @param labelIndex    the graph's label per row, or null when it has no label output
     * @param requestId     the request the rows belong to, by which their labels arrive later
     * @param rowNumbers    each row's number in that request (null: 0, 1, 2...)
     */
    void served(ServedModel served, Tensor input, int rows, double[] probabilities, long[] labelIndex, String requestId,
                java.util.List<Integer> rowNumbers);
}
