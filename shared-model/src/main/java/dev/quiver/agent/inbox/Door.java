package dev.quiver.agent.inbox;

import java.util.Locale;

/** How a message reached the agent. */
public enum Door {
    HTTP, CLOUDEVENT, KAFKA, A2A, SQS;

    /** The door's name in the audit log and in metrics. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
