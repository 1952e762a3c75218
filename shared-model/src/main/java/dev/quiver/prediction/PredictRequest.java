package dev.quiver.prediction;

import java.util.List;
import java.util.Map;

/**
 * A request to score rows of raw named features.
 *
 * @param model     the model's name
 * @param version   an explicit version, or null
 * @param alias     an alias such as {@code champion} or {@code challenger}, or null for {@code champion}
 * @param rows      one map of feature name to value per row: numbers as JSON numbers, categories as strings
 * @param requestId the caller's id for this request, or null to have one assigned
 * @param entities  instead of rows: join key to one id per row (Feast's entity shape); the model's features are
 *                  read from the online store
 */
public record PredictRequest(String model, String version, String alias, List<Map<String, Object>> rows,
                             String requestId, Map<String, List<Object>> entities) {

    public PredictRequest(String model, String version, String alias, List<Map<String, Object>> rows, String requestId) {
        this(model, version, alias, rows, requestId, null);
    }
}
