package dev.quiver.agent.incident;

import java.util.List;

/** Where reported incidents are kept: they survive a restart and are listed newest last. Safe from many threads. */
public interface IncidentLog {

    void record(Incident incident);

    /** The last {@code limit} incidents, oldest first. */
    List<Incident> recent(int limit);
}
