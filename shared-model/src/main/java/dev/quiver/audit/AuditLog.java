package dev.quiver.audit;

import java.util.List;

/**
 * Where a function records who changed what: every write (features, labels) and every deployment action (a version
 * registered, an alias moved, a rollout steered), done or refused.
 *
 * <p>Contract: {@link #append} never blocks on storage and never throws (a record that cannot be kept is counted and
 * reported in the function's log); records of one instance keep their order. Safe from several threads.
 */
public interface AuditLog {

    /** Records {@code record}. */
    void append(AuditRecord record);

    /** The records this instance appended most recently, newest first, at most {@code limit}. */
    List<AuditRecord> recent(int limit);
}
