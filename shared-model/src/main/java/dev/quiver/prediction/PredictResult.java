package dev.quiver.prediction;

import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link PredictRequest}: one prediction per row, in the order of the rows, and the model
 * version that answered.
 */
public record PredictResult(String requestId, String model, String version, List<Row> predictions) {

    /**
     * One row's answer.
     *
     * @param label         the predicted class
     * @param probabilities the probability of each class, by class label, in the model's class order
     * @param model         the model that answered
     * @param version       the version that answered
     */
    public record Row(String label, Map<String, Double> probabilities, String model, String version) {
    }
}
