package dev.quiver.prediction;

import java.util.List;
import java.util.Map;

/**
 * A request to score rows of raw named features.
 *
 * @param model     the model's name
 * @param version   an explicit version, or null
 * @param alias     an alias such as {@code champion} or {@code challenger}, or null for {@code champion}
 * @param rows      one map of feature name to value per row: numbers as JSON numbers, categories as strings (read
 *                  from JSON as {@link dev.quiver.inference.NamedRow}s)
 * @param requestId the caller's id for this request, or null to have one assigned
 * @param entities  instead of rows: join key to one id per row (Feast's entity shape); the model's features are
 *                  read from the online store
 * @param key       the routing key of a request of rows under a rollout (a user or session id): the same key
 *                  always reaches the same version; null to be placed at random by weight. Entity rows are
 *                  placed by their entity ids.
 * @param rowNumbers in process only (never read from JSON): when this request is a share of a caller's request,
 *                  each row's number in that request
 */
public record PredictRequest(String model, String version, String alias,
                             @com.fasterxml.jackson.databind.annotation.JsonDeserialize(
                                     contentUsing = NamedRowDeserializer.class) List<Map<String, Object>> rows,
                             String requestId, Map<String, List<Object>> entities, String key,
                             @com.fasterxml.jackson.annotation.JsonIgnore List<Integer> rowNumbers) {

    /** The longest {@code request_id} and {@code key}: ids are echoed in answers and kept in logs and sketches. */
    public static final int MAX_ID_LENGTH = 256;

    public PredictRequest(String model, String version, String alias, List<Map<String, Object>> rows, String requestId) {
        this(model, version, alias, rows, requestId, null, null, null);
    }

    public PredictRequest(String model, String version, String alias, List<Map<String, Object>> rows, String requestId,
                          Map<String, List<Object>> entities) {
        this(model, version, alias, rows, requestId, entities, null, null);
    }

    public PredictRequest(String model, String version, String alias, List<Map<String, Object>> rows, String requestId,
                          Map<String, List<Object>> entities, String key) {
        this(model, version, alias, rows, requestId, entities, key, null);
    }

    /**
     * Fails with BAD_INPUT on what no request may hold, whatever it asks: both a version and an alias, a
     * {@code request_id} or {@code key} longer than {@value #MAX_ID_LENGTH} characters.
     */
    public void check() {
        // each reason is built only for a request that fails: every request passes through here
        if (version != null && alias != null) {
            dev.quiver.error.Check.that(false, "alias",
                    "give a version or an alias, not both (version '" + version + "', alias '" + alias + "')");
        }
        if (requestId != null && requestId.length() > MAX_ID_LENGTH) {
            dev.quiver.error.Check.that(false, "request_id",
                    "must be at most " + MAX_ID_LENGTH + " characters, not " + requestId.length());
        }
        if (key != null && key.length() > MAX_ID_LENGTH) {
            dev.quiver.error.Check.that(false, "key",
                    "must be at most " + MAX_ID_LENGTH + " characters, not " + key.length());
        }
    }

    /** The same request, answered by {@code pinned} and under {@code id}. */
    public PredictRequest pinned(String pinned, String id) {
        return new PredictRequest(model, pinned, null, rows, id, entities, key, rowNumbers);
    }

    /** The same request for the entity rows {@code keep} (indexes into every join key's ids), in that order. */
    public PredictRequest entityRows(List<Integer> keep) {
        Map<String, List<Object>> sub = new java.util.LinkedHashMap<>();
        entities.forEach((joinKey, ids) -> {
            List<Object> picked = new java.util.ArrayList<>(keep.size());
            keep.forEach(i -> picked.add(ids.get(i)));
            sub.put(joinKey, picked);
        });
        List<Integer> numbers = new java.util.ArrayList<>(keep.size());
        keep.forEach(i -> numbers.add(rowNumbers == null ? i : rowNumbers.get(i)));
        return new PredictRequest(model, version, alias, null, requestId, sub, key, numbers);
    }
}
