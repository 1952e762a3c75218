package dev.quiver.agent.incident;

import dev.quiver.audit.RecentLog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Where reported incidents are kept: they survive a restart and are listed newest last. Safe from many threads. */
public interface IncidentLog {

    void record(Incident incident);

    /** The last {@code limit} incidents, oldest first. */
    List<Incident> recent(int limit);

    /** An incident log kept in {@code log}, which bounds how many it keeps (a log in Redis shared by instances). */
    static IncidentLog over(RecentLog<Incident> log) {
        return new IncidentLog() {
            @Override
            public void record(Incident incident) {
                log.append(incident);
            }

            @Override
            public List<Incident> recent(int limit) {
                List<Incident> newestFirst = new ArrayList<>(log.recent(limit));
                Collections.reverse(newestFirst);
                return newestFirst;
            }
        };
    }
}
