package dev.quiver.drift.capture;

import java.time.Instant;
import java.util.List;

/**
 * Where captured profiles go: per model version and window, one profile per instance of the function, replaced
 * each time that instance saves again. Implementations are safe for concurrent use across processes.
 */
public interface ProfileStore {

    void save(String instance, Profile.Saved profile);

    /** Every instance's profile of that window. */
    List<Profile.Saved> load(String model, String version, Instant windowStart);

    /** The windows that have profiles, oldest first. */
    List<Instant> windows(String model, String version);

    /** Adds predictions of a window, as {@code instance} served them, for their labels to be matched with later. */
    void appendPredictions(String instance, String model, String version, Instant windowStart,
                           List<LoggedPrediction> rows);

    /** Every instance's predictions of a window. */
    List<LoggedPrediction> predictions(String model, String version, Instant windowStart);

    /** Adds labels that arrived for a model's predictions. */
    void appendOutcomes(String instance, String model, List<Outcome> outcomes);

    /** Every label that arrived for a model's predictions, by {@link Outcome#key()}; a later label wins. */
    java.util.Map<String, String> outcomes(String model);

    /**
     * Claims a one-time action on a window, such as raising one kind of alert: true for the first caller across all
     * instances and processes that share the store, false for every later one. Records no note.
     */
    default boolean claim(String model, String version, Instant windowStart, String action) {
        return claim(model, version, windowStart, action, "");
    }

    /**
     * Claims a one-time action on a window and records {@code note} with it (an incident's correlation id, say):
     * true for the first caller across all instances and processes that share the store, false for every later one,
     * whose note is not recorded.
     *
     * @param note at most a few hundred characters; "" for none
     */
    boolean claim(String model, String version, Instant windowStart, String action, String note);

    /**
     * The actions claimed on a window, each with the note its first claim recorded ("" for none); empty when none
     * was claimed.
     */
    java.util.Map<String, String> claims(String model, String version, Instant windowStart);
}
