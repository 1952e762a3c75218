package dev.quiver.wiring.profiles;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Where drift profiles are kept, under {@code quiver.capture}: the predict function saves its windows there and the
 * drift function reads them, so both must name the same store.
 */
@ConfigMapping(prefix = "quiver.capture")
public interface ProfileStoreConfig {

    enum Kind {
        /** A directory (the embedded default); instances that share it (a volume, EFS, one machine) share windows. */
        DIRECTORY,
        /** Redis, for instances that share no disk. */
        REDIS
    }

    /** {@code directory} or {@code redis}. */
    @WithDefault("directory")
    Kind store();

    /** The directory store's root. */
    @WithDefault(".quiver/capture")
    String path();

    Redis redis();

    interface Redis {
        /** {@code redis://[user:password@]host[:port][/db]}, or {@code rediss://} for TLS. */
        @WithDefault("redis://localhost:6379")
        String uri();

        /** The start of every key, so that deployments can share one Redis. */
        @WithDefault("quiver:drift")
        String keyPrefix();

        /** How long one call may take; a window's prediction log can be megabytes. */
        @WithDefault("5s")
        Duration timeout();

        /** How long windows, prediction logs and labels are kept after their last write (0s: for ever). */
        @WithDefault("720h")
        Duration retention();
    }
}
