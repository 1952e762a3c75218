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
}
