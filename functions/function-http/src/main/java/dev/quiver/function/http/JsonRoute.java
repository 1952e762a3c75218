package dev.quiver.function.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One {@code POST} door on a Vert.x route: reads the JSON body as {@code I}, calls the function, writes its
 * {@code O} as JSON with 200, or the error body and status that {@link Failures} gives any failure (a
 * {@code Retry-After} header with a 503). A small body is parsed on the event loop, and the call runs there
 * unless the door says this request blocks (network I/O, a file lock); a large body, or a request that blocks,
 * goes to a worker thread, so the event loop never waits on I/O or a big batch.
 *
 * @param <I> the request body's type
 * @param <O> the answer's type
 */
public final class JsonRoute<I, O> {

    /** Bodies up to this size may be answered on the event loop; larger ones always go to a worker thread. */
    public static final int INLINE_BODY_BYTES = 16 * 1024;

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final byte[] INTERNAL_ERROR = "{\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8);

    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final ObjectMapper mapper;
    private final Function<I, O> function;
    private final Predicate<I> blocks;

    /**
     * @param nonBlocking whether {@code function} never blocks (no network, no file lock), so that a small
     *                    request may be answered on the event loop
     */
    public JsonRoute(ObjectMapper mapper, Class<I> in, Class<O> out, Function<I, O> function, boolean nonBlocking) {
        this(mapper, in, out, function, request -> !nonBlocking);
    }

    /**
     * @param blocks whether {@code function} may block on this request (read from a small body on the event loop);
     *               such requests are answered on a worker thread
     */
    public JsonRoute(ObjectMapper mapper, Class<I> in, Class<O> out, Function<I, O> function, Predicate<I> blocks) {
        this.mapper = mapper;
        this.reader = mapper.readerFor(in);
        this.writer = mapper.writerFor(out);
        this.function = function;
        this.blocks = blocks;
    }

    /** Serves {@code POST path} before any other route of the router, with bodies up to {@code maxBody} bytes. */
    public void install(Router router, String path, long maxBody) {
        router.post(path).order(-100).handler(BodyHandler.create(false).setBodyLimit(maxBody)).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body != null && body.length() > INLINE_BODY_BYTES) {
            ctx.vertx().executeBlocking(() -> {
                parseAndRespond(ctx, body, false);
                return null;
            }, false);
        } else {
            parseAndRespond(ctx, body, true);
        }
    }

    /** Parses the body and answers; on the event loop, a request that blocks moves to a worker thread first. */
    private void parseAndRespond(RoutingContext ctx, Buffer body, boolean onEventLoop) {
        I request;
        try {
            request = body == null || body.length() == 0 ? null : reader.readValue(body.getBytes());
        } catch (Exception e) {
            fail(ctx.response(), e);
            return;
        }
        if (onEventLoop && blocks.test(request)) {
            ctx.vertx().executeBlocking(() -> {
                respond(ctx.response(), request);
                return null;
            }, false);
        } else {
            respond(ctx.response(), request);
        }
    }

    private void respond(HttpServerResponse response, I request) {
        byte[] out;
        try {
            out = writer.writeValueAsBytes(function.apply(request));
        } catch (Exception e) {
            fail(response, e);
            return;
        }
        response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(out));
    }

    private void fail(HttpServerResponse response, Exception e) {
        Failures.Answer a = Failures.of(e);
        response.setStatusCode(a.status());
        if (a.retryAfterSeconds() > 0) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(a.retryAfterSeconds()));
        }
        byte[] out;
        try {
            out = mapper.writeValueAsBytes(a.body());
        } catch (Exception unexpected) {
            out = INTERNAL_ERROR;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(out));
    }
}
