package dev.quiver.predict.registry;

import dev.quiver.function.Daemons;
import dev.quiver.predict.config.PredictConfig;
import dev.quiver.predict.inference.DjlOnnxEngine;
import dev.quiver.predict.observability.PredictionMetrics;
import dev.quiver.feature.OnlineFeatures;
import dev.quiver.prediction.EntityFeatures;
import dev.quiver.prediction.PredictionService;
import dev.quiver.registry.Catalog;
import dev.quiver.registry.ModelStore;
import dev.quiver.wiring.models.ModelStoreConfig;
import dev.quiver.wiring.models.ModelStores;
import dev.quiver.model.ModelKey;
import dev.quiver.registry.ModelLimits;
import dev.quiver.registry.ModelRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Builds the registry and the prediction service from configuration, seeds the store from the catalog and
 * loads every aliased version at start, so that the first request finds warm sessions.
 */
@ApplicationScoped
public class RegistryWiring {

    private static final Logger LOG = Logger.getLogger(RegistryWiring.class);

    private ScheduledExecutorService refresher;

    /** The model catalog, read once for the registry's seeding, the models' feature services and their rollouts. */
    @Produces
    @Singleton
    Catalog catalog(PredictConfig config) {
        return Catalog.read(Path.of(config.store().catalog()));
    }

    @Produces
    @Singleton
    ModelRegistry registry(PredictConfig config, ModelStoreConfig storeConfig, Catalog catalog) {
        ModelStore store = ModelStores.open(storeConfig, config.store().path());
        ModelLimits limits = new ModelLimits(config.store().maxModelSize().asLongValue(),
                config.store().maxTensorBytes().asLongValue());
        Path catalogFile = Path.of(config.store().catalog());
        List<ModelKey> imported = catalog.seed(catalogFile.toAbsolutePath().getParent(), store, limits);
        if (!imported.isEmpty()) {
            LOG.infof("imported %s from the catalog %s", imported, catalogFile);
        }
        DjlOnnxEngine engine = new DjlOnnxEngine(config.inference().intraOpThreads(),
                config.inference().interOpThreads());
        return new ModelRegistry(store, engine, Clock.systemUTC(), limits);
    }

    /**
     * The prediction service; predictions by entity id read the online store through the same
     * {@link OnlineFeatures} the features function uses, in process.
     */
    @Produces
    @Singleton
    PredictionService predictionService(ModelRegistry registry, PredictConfig config, PredictionMetrics metrics,
                                        OnlineFeatures features, Catalog catalog) {
        Map<String, String> services = catalog.featureServices();
        services.entrySet().removeIf(e -> {
            boolean missing = !features.definitions().services().containsKey(e.getValue());
            if (missing) {
                LOG.warnf("model %s reads feature service %s, which the feature definitions do not declare: "
                        + "its predictions by entity id are refused", e.getKey(), e.getValue());
            }
            return missing;
        });
        EntityFeatures entities = new EntityFeatures(features, services,
                config.predict().defaultsWhenFeaturesUnavailable());
        return new PredictionService(registry, config.predict().maxRows(), metrics, entities);
    }

    /**
     * Loads every aliased version: by default on a thread of its own, so that the HTTP server's start and the first
     * calls' wait run meanwhile.
     *
     * <p>It observes the start after the other start observers (the online store, capture, rollouts), so that a start
     * that one of them fails (a malformed setting) never exits while ONNX Runtime creates a session: the runtime's
     * own JVM shutdown hook releases its environment concurrently with whatever is still inside it, and the process
     * would crash instead of exiting with the error (microsoft/onnxruntime#31352).
     */
    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) StartupEvent event, ModelRegistry registry,
               PredictConfig config) {
        long every = config.store().refreshEvery().toMillis();
        if (every > 0) {
            refresher = Daemons.scheduler("quiver-registry-refresh");
            refresher.scheduleWithFixedDelay(() -> {
                try {
                    registry.refresh().forEach((key, why) -> LOG.errorf(
                            "model %s, to which another instance moved an alias, was not loaded: %s", key, why));
                } catch (RuntimeException e) {
                    LOG.warnf("the aliases could not be read again from the model store: %s", e.getMessage());
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
        if (!config.store().loadInBackground()) {
            report(registry, registry.start());
            return;
        }
        Executor loader = task -> {
            Thread t = new Thread(task, "quiver-model-load");
            t.setDaemon(true);
            t.start();
        };
        registry.startInBackground(loader, config.store().loadWait()).whenComplete((failures, error) -> {
            if (error == null) {
                report(registry, failures);
            } else {
                // the store itself could not be read: nothing can be served, as when this ran before the server
                LOG.errorf(error, "the model store %s could not be read; stopping", config.store().path());
                Quarkus.asyncExit(1);
            }
        });
    }

    private static void report(ModelRegistry registry, Map<ModelKey, String> failures) {
        failures.forEach((key, why) -> LOG.errorf("model %s was not loaded: %s", key, why));
        for (String model : registry.models()) {
            LOG.infof("model %s: versions %s, aliases %s", model, registry.versions(model), registry.aliases(model));
        }
    }

    void stop(@Observes ShutdownEvent event, ModelRegistry registry) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        registry.close();
    }
}
