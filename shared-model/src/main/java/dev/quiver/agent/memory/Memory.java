package dev.quiver.agent.memory;

import java.util.List;
import java.util.Optional;

/**
 * Records by id that outlive one process: a {@link #put} is seen by every later call on any memory opened on the same
 * store and name. It holds at most its {@code keep} most recently put records, forgetting the oldest first. Safe from
 * several threads.
 *
 * @param <T> the record type, written and read with Jackson
 */
public interface Memory<T> {

    /** Keeps {@code value} under {@code id}, replacing what was there. */
    void put(String id, T value);

    Optional<T> get(String id);

    /** Forgets {@code id}; nothing happens when it is not kept. */
    void remove(String id);

    /** Every record kept, the oldest put first. */
    List<T> values();
}
