package dev.quiver.rollout;

import java.util.Optional;

/**
 * Where rollouts live between restarts, one per model. Saving replaces the model's rollout atomically: a reader
 * sees the old state or the new one, never a mix. Implementations are safe for concurrent use.
 */
public interface RolloutStore {

    void save(String model, Rollout.State state);

    /** The model's saved rollout, or empty. */
    Optional<Rollout.State> load(String model);
}
