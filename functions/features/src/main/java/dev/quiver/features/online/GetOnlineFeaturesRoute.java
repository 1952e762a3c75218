package dev.quiver.features.online;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.error.Stages;
import dev.quiver.feature.OnlineFeatures;
import dev.quiver.feature.OnlineFeaturesRequest;
import dev.quiver.feature.OnlineFeaturesResponse;
import dev.quiver.function.http.JsonRoute;
import dev.quiver.features.observability.FetchTracing;
import dev.quiver.wiring.features.FeatureStoreConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Feast's {@code POST /get-online-features}: entity rows and feature references (or a feature service) in,
 * column-major values with a status and an event timestamp each out, entity columns first.
 *
 * <p>Served from a Vert.x route rather than a REST endpoint, on the event loop: of the doors measured it cost the
 * least server CPU per request ({@code docs/performance.md}, Online features). The read never blocks the loop
 * ({@link OnlineFeatures#get}): the embedded store answers with a few map lookups, and a Redis read goes out on the
 * loop's own connection and is answered when the reply arrives, with no hand-off to another thread. A body too
 * large to parse on the loop is answered from a worker thread, which waits for the read.
 */
@ApplicationScoped
public class GetOnlineFeaturesRoute {

    /** The door's path, as Feast's feature server names it. */
    public static final String PATH = "/get-online-features";

    private final JsonRoute<OnlineFeaturesRequest, OnlineFeaturesResponse> route;
    private final long maxBody;

    public GetOnlineFeaturesRoute(OnlineFeatures features, FetchTracing tracing, ObjectMapper mapper,
                                  FeatureStoreConfig config,
                                  @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody,
                                  @ConfigProperty(name = "quarkus.http.enable-compression", defaultValue = "false")
                                  boolean compression) {
        String store = features.store().kind();
        this.route = JsonRoute.async(mapper, OnlineFeaturesRequest.class, OnlineFeaturesResponse.class,
                request -> tracing.traced(store, request, features::get),
                request -> Stages.join(tracing.traced(store, request, features::get)), request -> false, null);
        if (compression) {
            route.onCompressingServer(config.compressLargeAnswers());
        }
        this.maxBody = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        route.install(router, PATH, maxBody);
    }
}
