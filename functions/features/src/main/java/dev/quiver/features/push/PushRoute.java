package dev.quiver.features.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.feature.PushRequest;
import dev.quiver.feature.PushResult;
import dev.quiver.function.http.JsonRoute;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Feast's {@code POST /push}, answered with 200 and the {@link PushResult} (Feast answers {@code null}; the
 * counts tell a client how many rows a newer stored row made redundant). Always on a worker thread: a write
 * appends to the embedded store's file under a lock another process may hold, or waits for Redis.
 */
@ApplicationScoped
public class PushRoute {

    /** The door's path, as Feast's feature server names it. */
    public static final String PATH = "/push";

    private final JsonRoute<PushRequest, PushResult> route;
    private final long maxBody;

    public PushRoute(PushFunction function, ObjectMapper mapper,
                     @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody,
                     @ConfigProperty(name = "quarkus.http.enable-compression", defaultValue = "false")
                     boolean compression) {
        this.route = new JsonRoute<>(mapper, PushRequest.class, PushResult.class, function::push, false);
        if (compression) {
            // a push's answer is a few bytes: never worth compressing
            route.onCompressingServer(false);
        }
        this.maxBody = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        route.install(router, PATH, maxBody);
    }
}
