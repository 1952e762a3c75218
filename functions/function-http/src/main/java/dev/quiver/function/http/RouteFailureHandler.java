package dev.quiver.function.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The error door of the Funqy bindings (HTTP and CloudEvents), which fail the Vert.x route rather than
 * answer: a failed route gets the same JSON error body and status as the REST doors, never an HTML page or
 * a stack trace.
 */
@ApplicationScoped
public class RouteFailureHandler {

    private final ObjectMapper mapper;

    public RouteFailureHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    void handle(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        Failures.Answer a = Failures.isCallersFault(ctx.failure()) || ctx.statusCode() < 400 || ctx.statusCode() >= 500
                ? Failures.of(ctx.failure() != null ? ctx.failure() : new IllegalStateException("failed route"))
                : Failures.ofStatus(ctx.statusCode());
        if (a.retryAfterSeconds() > 0) {
            ctx.response().putHeader("Retry-After", Long.toString(a.retryAfterSeconds()));
        }
        try {
            ctx.response().setStatusCode(a.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(mapper.writeValueAsString(a.body()));
        } catch (Exception e) {
            ctx.response().setStatusCode(500).end("{\"error\":\"internal error\"}");
        }
    }
}
