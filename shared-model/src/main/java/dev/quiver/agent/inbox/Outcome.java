package dev.quiver.agent.inbox;

import java.util.Locale;

/** What became of a message, as the agent's metrics count it per action. */
public enum Outcome {
    /** It arrived and read as a message. */
    RECEIVED,
    /** Its action was taken (or its long work started). */
    ACTED,
    /** It was refused: it did not read, or its request could not be met; nothing was done. */
    REFUSED,
    /** Its action failed and will be tried again. */
    RETRIED,
    /** Its action failed on every try; it is kept as a dead letter with the reason. */
    DEAD_LETTERED,
    /** Its message id had been seen: the first answer was given again. */
    DUPLICATE,
    /** Quiver's own envelope, queued for its recipient. */
    RELAYED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
