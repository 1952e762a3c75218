package dev.quiver.agent.outbox;

import java.time.Instant;
import java.util.List;

/**
 * Where the outbox keeps what it has not delivered yet, and what it gave up on. Survives a restart. Safe to call from
 * several threads. The embedded store (a folder) belongs to one outbox; a store that instances share leases what
 * {@link #due} returns, so that one instance at a time tries a message.
 */
public interface OutboxStore {

    /** Keeps {@code message}, replacing the one with the same id. */
    void put(Outgoing message);

    /** Up to {@code max} messages due at or before {@code now}, the earliest due first. */
    List<Outgoing> due(Instant now, int max);

    /** Forgets a delivered message. */
    void remove(String id);

    /** Moves a message to the dead letters. */
    void deadLetter(DeadLetter letter);

    /** The dead letters, the oldest first. */
    List<DeadLetter> deadLetters();

    /** How many messages wait for delivery. */
    int pending();
}
