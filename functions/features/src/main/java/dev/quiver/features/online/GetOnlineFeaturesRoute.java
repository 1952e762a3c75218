package dev.quiver.features.online;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * <p>Served from a Vert.x route rather than a REST endpoint, and on the event loop when the store is the embedded
 * one, since that read is a few map lookups that never block. On the 2-core development VM the route cost the least
 * server CPU per request, measured over the same wrk runs (1 entity × 19 features / 100 entities): 72 / 381 µs,
 * against 79 / 417 µs for a quarkus-rest {@code @NonBlocking} endpoint making the same call and 130 / 544 µs for a
 * quarkus-rest endpoint on a worker thread; latency at 1,000 requests a second could not tell them apart, being
 * bounded by the VM itself (an empty {@code GET /q/health/live} has a p99 of 4 to 5 ms there). Method and figures:
 * {@code functions/features/bench/README.md}. Reads from Redis stay on the event loop too, without blocking it
 * ({@link OnlineFeatures#getAsync}): the loop sends the pipeline on a Redis connection of its own and serves other
 * connections until the reply arrives, then answers: three thread wake-ups a call (the loop, redis-server, the
 * loop), where a worker thread waiting on the store's own event loop took seven ({@code docs/benchmarks.md}).
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
                request -> tracing.tracedAsync(store, request, features::getAsync),
                request -> tracing.traced(store, request, features::get), request -> false, null);
        if (compression) {
            route.onCompressingServer(config.compressLargeAnswers());
        }
        this.maxBody = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        route.install(router, PATH, maxBody);
    }
}
