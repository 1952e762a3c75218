package dev.quiver.function;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The functions' background timers: one daemon thread each, named, so that none holds the JVM open at exit. */
public final class Daemons {

    private Daemons() {
    }

    /** A scheduler on one daemon thread called {@code name}. */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
