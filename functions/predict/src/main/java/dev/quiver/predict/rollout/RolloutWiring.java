package dev.quiver.predict.rollout;

import dev.quiver.function.Daemons;
import dev.quiver.team.TeamChannel;
import dev.quiver.predict.config.PredictConfig;
import dev.quiver.prediction.PredictionService;
import dev.quiver.registry.Catalog;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.redis.client.GuardedRedis;
import dev.quiver.redis.rollouts.RedisRolloutStore;
import dev.quiver.rollout.FileRolloutStore;
import dev.quiver.rollout.RolloutPolicy;
import dev.quiver.rollout.RolloutStore;
import dev.quiver.rollout.Rollouts;
import dev.quiver.rollout.RoutedPredictions;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Builds the rollouts from configuration: the embedded store, each model's policy from the catalog (checked at
 * start: a bad policy stops the function with the field named), the alert channel, and a daemon thread that
 * ticks the rollouts (saves counters, takes in other instances' decisions, applies the gates).
 */
@ApplicationScoped
public class RolloutWiring {

    private static final Logger LOG = Logger.getLogger(RolloutWiring.class);

    private ScheduledExecutorService ticker;
    private RolloutStore store;

    @Produces
    @Singleton
    Rollouts rollouts(ModelRegistry registry, PredictConfig config, TeamChannel alerts, Catalog catalog,
                      Tracer tracer) {
        Map<String, RolloutPolicy> policies = new TreeMap<>();
        catalog.rolloutPolicies().forEach((model, written) ->
                policies.put(model, RolloutPolicy.fromMap(written, "models[" + model + "].")));
        String instance = config.rollouts().instance().orElseGet(InstanceName::get);
        store = store(config.rollouts(), tracer);
        return new Rollouts(registry, store, policies, alerts, Clock.systemUTC(), instance);
    }

    /** The store that {@code quiver.rollouts.store} names; an invalid setting stops the start with its key named. */
    private static RolloutStore store(PredictConfig.Rollouts config, Tracer tracer) {
        return switch (config.store()) {
            case "directory" -> new FileRolloutStore(Path.of(config.path()));
            case "redis" -> {
                PredictConfig.RolloutRedis r = config.redis();
                try {
                    RedisRolloutStore redis = new RedisRolloutStore(r.uri(), r.keyPrefix(), r.timeout(),
                            r.tallyRetention(), tracer);
                    LOG.infof("rollouts in redis %s under %s:*", GuardedRedis.redact(r.uri()), r.keyPrefix());
                    yield redis;
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("quiver.rollouts.redis." + e.getMessage(), e);
                }
            }
            default -> throw new IllegalArgumentException("quiver.rollouts.store must be directory or redis, not '"
                    + config.store() + "'");
        };
    }

    @Produces
    @Singleton
    RoutedPredictions routedPredictions(PredictionService service, Rollouts rollouts, PredictConfig config) {
        return new RoutedPredictions(service, rollouts, config.rollouts().shadowQueue());
    }

    void start(@Observes StartupEvent event, Rollouts rollouts, PredictConfig config) {
        long every = config.rollouts().tick().toMillis();
        ticker = Daemons.scheduler("quiver-rollout-ticker");
        ticker.scheduleWithFixedDelay(() -> {
            try {
                rollouts.tick();
            } catch (RuntimeException e) {
                LOG.warnf("rollout tick failed, retried at the next: %s", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event, Rollouts rollouts, RoutedPredictions routed) {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        try {
            rollouts.tick();
        } catch (RuntimeException e) {
            LOG.warnf("the last rollout counters were not saved: %s", e.toString());
        }
        routed.close();
        if (store instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warnf("closing the rollout store failed: %s", e.getMessage());
            }
        }
    }
}
