package dev.quiver.wiring.features;

import dev.quiver.error.QuiverException;
import dev.quiver.feature.FeatureDefinitions;
import dev.quiver.feature.FeatureGaps;
import dev.quiver.feature.GapObserver;
import dev.quiver.feature.FeatureWriter;
import dev.quiver.feature.FetchObserver;
import dev.quiver.feature.FileOnlineStore;
import dev.quiver.feature.OnlineFeatures;
import dev.quiver.feature.OnlineStore;
import dev.quiver.redis.feast.RedisOnlineStore;
import dev.quiver.redis.feast.RedisOnlineStoreOptions;
import dev.quiver.registry.Catalog;
import dev.quiver.team.TeamChannel;
import io.opentelemetry.api.trace.Tracer;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Builds the online feature service from {@link FeatureStoreConfig}: the definitions, the store they are kept
 * in (embedded or Redis), and over both {@link OnlineFeatures} for reads and {@link FeatureWriter} for writes, one of
 * each per application, the store closed at shutdown.
 *
 * <p>It knows no door: any function that reads features (this one, predict) can use it as it is. Metrics and
 * tracing are optional: a {@link FetchObserver} bean, when the application has one, is told about every read,
 * and a {@link Tracer} bean, when there is one, traces each Redis round trip. Every read is watched for features
 * the store lacks or serves stale ({@link FeatureGaps}, {@code quiver.features.requests.*}), and the requests that
 * follow go to the {@link TeamChannel}.
 */
@ApplicationScoped
public class FeatureStoreWiring {

    private static final Logger LOG = Logger.getLogger(FeatureStoreWiring.class);

    @Produces
    @Singleton
    FeatureDefinitions definitions(FeatureStoreConfig config) {
        Path file = Path.of(config.definitions());
        if (!java.nio.file.Files.exists(file)) {
            // a deployment without feature definitions serves no features (and predict only rows), but starts
            LOG.warnf("feature definitions %s do not exist: no feature views are served", file.toAbsolutePath());
            return new FeatureDefinitions("default", java.util.List.of(), java.util.List.of(), java.util.Map.of());
        }
        return FeatureDefinitions.read(file);
    }

    @Produces
    @Singleton
    OnlineStore store(FeatureStoreConfig config, FeatureDefinitions definitions, Instance<Tracer> tracer,
                      Vertx vertx) {
        return switch (config.store().kind()) {
            case EMBEDDED -> {
                LOG.infof("online store: embedded, in %s", Path.of(config.store().path()).toAbsolutePath());
                // read at start only where readiness depends on it (the features function); predict, which serves
                // rows of features without it, reads it at its first prediction by entity id
                yield new FileOnlineStore(Path.of(config.store().path()), definitions, config.readiness());
            }
            case REDIS -> {
                RedisOnlineStoreOptions options = redisOptions(config.redis(), definitions.project(),
                        tracer.isResolvable() ? tracer.get() : null);
                LOG.infof("online store: redis at %s, timeout %d ms, entity key serialization version %d",
                        options.redactedUri(), options.timeout().toMillis(), options.entityKeySerializationVersion());
                // on the application's Vert.x, so that an HTTP event loop reads Redis on a connection of its own
                yield new RedisOnlineStore(options, vertx);
            }
        };
    }

    @Produces
    @Singleton
    OnlineFeatures onlineFeatures(FeatureStoreConfig config, FeatureDefinitions definitions, OnlineStore store,
                                  Instance<FetchObserver> observer, Instance<TeamChannel> team,
                                  Instance<Catalog> catalog) {
        return new OnlineFeatures(definitions, store, Clock.systemUTC(), config.maxEntities(),
                observer.isResolvable() ? observer.get() : FetchObserver.NONE,
                gaps(config.requests(), definitions, team, catalog));
    }

    /**
     * The feature watch over every read, sending to the team channel; the model of a view is known where the
     * application has the model catalog (predict). None when turned off or when the application has no channel.
     */
    static GapObserver gaps(FeatureStoreConfig.Requests config, FeatureDefinitions definitions,
                            Instance<TeamChannel> team, Instance<Catalog> catalog) {
        if (!config.enabled() || !team.isResolvable()) {
            return GapObserver.NONE;
        }
        FeatureGaps.Settings settings;
        try {
            settings = new FeatureGaps.Settings(config.share(), config.windowRows());
        } catch (QuiverException e) {
            throw new IllegalArgumentException("quiver.features.requests." + e.field().replace('_', '-') + " "
                    + e.reason(), e);
        }
        Map<String, String> modelByView = catalog.isResolvable()
                ? FeatureGaps.modelByView(catalog.get().featureServices(), definitions) : Map.of();
        return new FeatureGaps(settings, modelByView, team.get(), Clock.systemUTC());
    }

    @Produces
    @Singleton
    FeatureWriter featureWriter(FeatureStoreConfig config, FeatureDefinitions definitions, OnlineStore store) {
        return new FeatureWriter(definitions, store, config.maxEntities());
    }

    void close(@Disposes OnlineStore store) {
        store.close();
    }

    /** The Redis store's options from the configuration; {@code tracer} null for the options' no-op tracer. */
    static RedisOnlineStoreOptions redisOptions(FeatureStoreConfig.Redis redis, String project, Tracer tracer) {
        RedisOnlineStoreOptions.Builder b = RedisOnlineStoreOptions.builder(project)
                .uri(redis.uri())
                .timeout(redis.timeout())
                .poolSize(redis.poolSize())
                .failureThreshold(redis.breaker().failureThreshold())
                .openDuration(redis.breaker().openDuration())
                .keyTtl(redis.keyTtl().orElse(Duration.ZERO))
                .entityKeySerializationVersion(redis.entityKeySerializationVersion());
        if (tracer != null) {
            b.tracer(tracer);
        }
        return b.build();
    }
}
