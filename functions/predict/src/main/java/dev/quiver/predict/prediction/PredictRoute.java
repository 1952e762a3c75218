package dev.quiver.predict.prediction;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * <p>Why: Funqy hands every call to a worker thread and back, and those two hand-offs cost more than scoring a small
 * request (docs/performance.md, Predictions over HTTP). A small request (up to {@value JsonRoute#INLINE_BODY_BYTES}
 * bytes of body, a few dozen rows) is parsed, scored and answered on the event loop. A larger one goes to a worker
 * thread so the event loop never waits on a big batch, and so does every call that arrives while the models are still
 * loading at start, since it waits for them.
 * A prediction by entity id stays on the event loop without blocking it ({@link PredictFunction#predict}): the
 * loop sends the online-store read (a Redis pipeline, on a connection of its own) and serves other connections until
 * the reply arrives, then scores and answers. The calls answered on the event
 * loop are answered in batches ({@code quiver.predict.batching}, {@link PredictFunction#predictAll}): those read in
 * the same turn of the loop are scored by one run of their model. Funqy still serves the
 * function as a CloudEvent, with the same answers and errors; on Lambda this route answers {@code /predict}
 * behind API Gateway.
 */
@ApplicationScoped
public class PredictRoute {

    private final JsonRoute<PredictRequest, PredictResult> route;
    private final long maxBody;

    public PredictRoute(PredictFunction function, ObjectMapper mapper, ModelRegistry registry,
                        PredictConfig config,
                        @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        // while the models load at start, a call waits for them, which the event loop must not do
        this.route = JsonRoute.async(mapper, PredictRequest.class, PredictResult.class, function::predict,
                function::predictNow, request -> !registry.started(),
                config.predict().batching() ? function::predictAll : null);
        this.maxBody = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        route.install(router, "/predict", maxBody);
    }
}
