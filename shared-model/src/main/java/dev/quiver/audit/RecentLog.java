package dev.quiver.audit;

import java.util.List;

/**
 * An append-only log whose recent records can be read back: the agent's audit journal, its incidents and its dead
 * letters. The embedded one is a file ({@link JsonLinesFile}); instances that share no disk use one in Redis.
 *
 * @param <T> the record type
 */
public interface RecentLog<T> {

    /** Appends {@code record}; never throws and never waits on storage (a record that cannot be kept is reported). */
    void append(T record);

    /** The most recent records, newest first, at most {@code limit}. */
    List<T> recent(int limit);
}
