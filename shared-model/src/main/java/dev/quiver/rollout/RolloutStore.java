package dev.quiver.rollout;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where rollouts live between restarts and how instances of the function share them: per model the current
 * rollout's {@link Rollout.State} (what was decided), and per instance its {@link Rollout.Tally} of the current
 * step (what it measured). Implementations are safe for concurrent use, within a process and across processes
 * that share the store.
 */
public interface RolloutStore {

    /** The model's current rollout, or empty. */
    Optional<Rollout.State> load(String model);

    /** The models that have a rollout, running or finished. */
    List<String> models();

    /**
     * Replaces the model's rollout with {@code next}, atomically and only if the stored one is still
     * {@code expected} (same id and revision; null: none stored). A reader sees the old state or the new one,
     * never a mix.
     *
     * @return false, changing nothing, when another writer got there first
     */
    boolean replace(String model, Rollout.State expected, Rollout.State next);

    /** Saves what {@code instance} measured during the window the tally names, replacing its earlier tally. */
    void saveTally(String model, String instance, Rollout.Tally tally);

    /** Every instance's tally of {@code window}, by instance. */
    Map<String, Rollout.Tally> tallies(String model, String window);
}
