package dev.quiver.function.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.impl.ConnectionBase;
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
        Throwable failure = ctx.failure();
        if (failure instanceof HttpClosedException || ctx.response().ended() || ctx.response().headWritten()) {
            // the caller has gone, or was answered: nothing to send
            return;
        }
        boolean unread = !ctx.request().isEnded();
        Failures.Answer a;
        if (unread && isFraming(failure)) {
            a = new Failures.Answer(400, ErrorBody.of("body", "malformed chunked transfer encoding: "
                    + failure.getMessage()));
        } else if (Failures.isCallersFault(failure) || ctx.statusCode() < 400 || ctx.statusCode() >= 500) {
            a = Failures.of(failure != null ? failure : new IllegalStateException("failed route"));
        } else {
            a = Failures.ofStatus(ctx.statusCode());
        }
        if (a.retryAfterSeconds() > 0) {
            ctx.response().putHeader("Retry-After", Long.toString(a.retryAfterSeconds()));
        }
        if (unread) {
            // the rest of the body is not read: the connection ends with this answer
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        try {
            ctx.response().setStatusCode(a.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(mapper.writeValueAsString(a.body()));
        } catch (Exception e) {
            ctx.response().setStatusCode(500).end("{\"error\":\"internal error\"}");
        }
        if (unread && ctx.request().connection() instanceof ConnectionBase connection) {
            // Vert.x holds writes made while it reads a connection until the read ends; a framing error closes the
            // connection before that, and the answer would be lost
            connection.channel().flush();
        }
    }

    /**
     * Whether a failure that arrived while the body was read is the HTTP decoder's: a chunk size that is not hex, a
     * chunk or line too long. Nothing else fails a request before its body has ended.
     */
    private static boolean isFraming(Throwable failure) {
        return failure instanceof NumberFormatException || failure instanceof DecoderException
                || failure instanceof TooLongFrameException;
    }
}
