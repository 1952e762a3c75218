package dev.quiver.predict.prediction;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.feature.FileOnlineStore;
import dev.quiver.feature.OnlineStore;
import dev.quiver.function.http.JsonRoute;
import dev.quiver.predict.config.PredictConfig;
import dev.quiver.prediction.PredictRequest;
import dev.quiver.prediction.PredictResult;
import dev.quiver.registry.ModelRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The HTTP door of the {@code predict} function, {@code POST /predict}: the same {@link PredictFunction},
 * called from a Vert.x route ({@link JsonRoute}) instead of through Funqy's HTTP binding.
 *
 * <p>Why: Funqy hands every call to a worker thread and back, which on a 2-core machine caps an echo
 * function at about 15,000 calls a second before any model runs. A small request (up to
 * {@value JsonRoute#INLINE_BODY_BYTES} bytes of body, a few dozen rows) is parsed, scored and answered on the
 * event loop in tens of microseconds. A larger one goes to a worker thread so the event loop never waits on a big
 * batch, and so does a prediction by entity id when the online store is a network one (Redis): the event loop
 * would otherwise wait out each round trip, and a hung Redis for its whole timeout; and so does every call that
 * arrives while the models are still loading at start, since it waits for them. The calls answered on the event
 * loop are answered in batches ({@code quiver.predict.batching}, {@link PredictFunction#predictAll}): those read in
 * the same turn of the loop are scored by one run of their model. Funqy still serves the
 * function as a CloudEvent, with the same answers and errors; on Lambda this route answers {@code /predict}
 * behind API Gateway.
 */
@ApplicationScoped
public class PredictRoute {

    private final JsonRoute<PredictRequest, PredictResult> route;
    private final long maxBody;

    public PredictRoute(PredictFunction function, ObjectMapper mapper, OnlineStore store, ModelRegistry registry,
                        PredictConfig config,
                        @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        boolean storeBlocks = !(store instanceof FileOnlineStore);
        // while the models load at start, a call waits for them, which the event loop must not do
        this.route = new JsonRoute<>(mapper, PredictRequest.class, PredictResult.class, function::predict,
                request -> !registry.started() || storeBlocks && request != null && request.entities() != null,
                config.predict().batching() ? function::predictAll : null);
        this.maxBody = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        route.install(router, "/predict", maxBody);
    }
}
