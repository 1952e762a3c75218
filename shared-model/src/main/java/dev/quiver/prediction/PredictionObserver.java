package dev.quiver.prediction;

import dev.quiver.model.ModelKey;

/**
 * Told about every prediction once the model version is known, so that adapters can record metrics and
 * tracing attributes without the core knowing how. Called on the request thread; must be quick and must
 * not throw.
 */
public interface PredictionObserver {

    PredictionObserver NONE = (key, rows, nanos, ok) -> { };

    /**
     * @param key   the version that answered (or was asked to)
     * @param rows  the number of rows scored
     * @param nanos time spent in the model, encoding included
     * @param ok    false when the model failed after the input was accepted
     */
    void scored(ModelKey key, int rows, long nanos, boolean ok);

    /**
     * Told when one run of a version scored several requests together ({@link PredictionService#predictAll}), after
     * each of them was {@link #scored}.
     *
     * @param requests how many requests the run answered
     * @param rows     their rows
     */
    default void batched(ModelKey key, int requests, int rows) {
    }
}
