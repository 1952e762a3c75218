package dev.quiver.prediction;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link PredictRequest}: one prediction per row, in the order of the rows, and the model
 * version that answered.
 *
 * @param version the version that answered every row; null when a rollout split the rows between two versions
 *                (each row names its own)
 * @param rollout the rollout that chose the version, such as {@code churn/2-20261128T101500Z}; null when none did
 */
public record PredictResult(String requestId, String model, String version, List<Row> predictions,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String rollout) {

    public PredictResult(String requestId, String model, String version, List<Row> predictions) {
        this(requestId, model, version, predictions, null);
    }

    /**
     * One row's answer.
     *
     * @param label         the predicted class; null when the row failed
     * @param probabilities the probability of each class, by class label, in the model's class order
     * @param model         the model that answered
     * @param version       the version that answered
     * @param entity        for a prediction by entity id: the row's join keys and ids; otherwise null
     * @param missing       features the online store did not hold for this entity, filled with the model's
     *                      declared defaults (or the reason the row failed)
     * @param stale         features older than their view's TTL, used as they were
     * @param degraded      true when the online store could not be read and every feature took its default
     * @param error         why this row was not scored (a missing feature without a default); null when it was
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Row(String label, Map<String, Double> probabilities, String model, String version,
                      Map<String, Object> entity, List<String> missing, List<String> stale, Boolean degraded,
                      String error) {

        public Row(String label, Map<String, Double> probabilities, String model, String version) {
            this(label, probabilities, model, version, null, null, null, null, null);
        }
    }
}
