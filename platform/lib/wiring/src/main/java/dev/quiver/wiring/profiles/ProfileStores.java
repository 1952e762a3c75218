package dev.quiver.wiring.profiles;

import dev.quiver.drift.capture.DirectoryProfileStore;
import dev.quiver.drift.capture.ProfileStore;
import dev.quiver.redis.profiles.RedisProfileStore;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The drift profile store that {@link ProfileStoreConfig} names. A singleton, not a client proxy: it is made when
 * the first bean that needs it is, at start, so an invalid setting (a malformed Redis URI) stops the function
 * with the key named instead of failing every flush later.
 */
@ApplicationScoped
public class ProfileStores {

    private static final Logger LOG = Logger.getLogger(ProfileStores.class);

    @Produces
    @Singleton
    ProfileStore profileStore(ProfileStoreConfig config, Tracer tracer) {
        return switch (config.store()) {
            case DIRECTORY -> {
                LOG.infof("drift profiles in the directory %s", Path.of(config.path()).toAbsolutePath());
                yield new DirectoryProfileStore(Path.of(config.path()));
            }
            case REDIS -> {
                ProfileStoreConfig.Redis r = config.redis();
                RedisProfileStore store;
                try {
                    store = new RedisProfileStore(r.uri(), r.keyPrefix(), r.timeout(), r.retention(), tracer,
                            Clock.systemUTC());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("quiver.capture.redis." + e.getMessage(), e);
                }
                LOG.infof("drift profiles in redis %s under %s:*, kept %s", dev.quiver.redis.client.GuardedRedis.redact(r.uri()), r.keyPrefix(), r.retention());
                yield store;
            }
        };
    }

    void close(@Disposes ProfileStore store) {
        if (store instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warnf("closing the profile store failed: %s", e.getMessage());
            }
        }
    }
}
