package dev.quiver.agent.journal;

import java.util.List;

/**
 * The port of the agent's audit log. {@link #append} never blocks on storage and never throws; what is appended
 * survives a restart of the function (the embedded store keeps a file, read back at start).
 */
public interface Journal {

    void append(JournalEntry entry);

    /** The most recent entries that match {@code filter}, newest first, at most {@code limit}. */
    List<JournalEntry> list(Filter filter, int limit);

    /**
     * Which entries to list; a null field matches every entry.
     *
     * @param model         the model the message is about
     * @param correlationId the exchange
     * @param action        the message's action
     */
    record Filter(String model, String correlationId, String action) {

        public static final Filter ALL = new Filter(null, null, null);

        public boolean matches(JournalEntry e) {
            return (model == null || model.equals(e.model()))
                    && (correlationId == null || correlationId.equals(e.correlationId()))
                    && (action == null || action.equals(e.action()));
        }
    }
}
