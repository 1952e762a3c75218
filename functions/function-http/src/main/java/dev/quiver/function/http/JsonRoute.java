package dev.quiver.function.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One {@code POST} door on a Vert.x route: reads the JSON body as {@code I}, calls the function, writes its
 * {@code O} as JSON with 200, or the error body and status that {@link Failures} gives any failure (a
 * {@code Retry-After} header with a 503). A small body is parsed on the event loop, and the call runs there
 * unless the door says this request blocks (network I/O, a file lock); a large body, or a request that blocks,
 * goes to a worker thread, so the event loop never waits on I/O or a big batch.
 *
 * <p>A door may also answer in batches ({@link Batch}): the calls answered on one event loop are then held until
 * that loop has read every request that arrived with them, and answered together, as an inference server's dynamic
 * batcher does with no added wait. Under load that gathers as many calls as the loop's connections sent at once;
 * alone, a call is answered as soon as it is read, as before.
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
    private final Batch<I, O> batch;
    /** The calls read by this event loop (one per thread) and not answered yet; only with a {@link Batch}. */
    private final ThreadLocal<List<Queued<I>>> pending = ThreadLocal.withInitial(ArrayList::new);

    /** Answers several calls at once; answer {@code i} belongs to call {@code i}. */
    @FunctionalInterface
    public interface Batch<I, O> {
        List<Outcome<O>> apply(List<Call<I>> calls);
    }

    /** One call of a batch: its request, and the trace context it arrived in, the parent of the spans it makes. */
    public record Call<I>(I request, Context trace) {
    }

    /** What one call of a batch came to: its answer, or the failure it alone failed with. */
    public record Outcome<O>(O value, RuntimeException error) {
    }

    private record Queued<I>(RoutingContext ctx, Call<I> call) {
    }

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
        this(mapper, in, out, function, blocks, null);
    }

    /**
     * @param batch answers the calls that would be answered on the event loop, together (see the class comment);
     *              null: each on its own with {@code function}, which still answers calls on a worker thread
     */
    public JsonRoute(ObjectMapper mapper, Class<I> in, Class<O> out, Function<I, O> function, Predicate<I> blocks,
                     Batch<I, O> batch) {
        this.batch = batch;
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
        } else if (onEventLoop && batch != null) {
            List<Queued<I>> waiting = pending.get();
            waiting.add(new Queued<>(ctx, new Call<>(request, Context.current())));
            if (waiting.size() == 1) {
                // runs once this event loop has handled what it read in this turn: every call read meanwhile joins
                ctx.vertx().runOnContext(v -> answerPending(waiting));
            }
        } else {
            respond(ctx.response(), request);
        }
    }

    /**
     * Answers every held call. Whatever goes wrong, each call is answered once: outside a route handler nobody else
     * would answer it (Vert.x only logs what a context task throws).
     */
    private void answerPending(List<Queued<I>> waiting) {
        List<Queued<I>> calls = new ArrayList<>(waiting);
        waiting.clear();
        try {
            if (calls.size() == 1) {
                Queued<I> only = calls.get(0);
                try (Scope ignored = only.call().trace().makeCurrent()) {
                    respond(only.ctx().response(), only.call().request());
                }
                return;
            }
            List<Call<I>> requests = new ArrayList<>(calls.size());
            calls.forEach(q -> requests.add(q.call()));
            List<Outcome<O>> outcomes = batch.apply(requests);
            for (int i = 0; i < calls.size(); i++) {
                Outcome<O> o = outcomes != null && i < outcomes.size() ? outcomes.get(i) : null;
                Queued<I> call = calls.get(i);
                try (Scope ignored = call.call().trace().makeCurrent()) {
                    if (o == null) {
                        fail(call.ctx().response(), new IllegalStateException("the batch gave call " + i + " no answer"));
                    } else if (o.error() != null) {
                        fail(call.ctx().response(), o.error());
                    } else {
                        write(call.ctx().response(), o.value());
                    }
                } catch (RuntimeException e) {
                    // this call's response could not be written; the others still are
                }
            }
        } catch (Throwable t) {
            for (Queued<I> q : calls) {
                if (!q.ctx().response().ended()) {
                    try (Scope ignored = q.call().trace().makeCurrent()) {
                        fail(q.ctx().response(), t);
                    } catch (RuntimeException e) {
                        // nothing more can be done for this connection
                    }
                }
            }
            if (t instanceof Error error) {
                throw error;
            }
        }
    }

    private void respond(HttpServerResponse response, I request) {
        O answer;
        try {
            answer = function.apply(request);
        } catch (Exception e) {
            fail(response, e);
            return;
        }
        write(response, answer);
    }

    private void write(HttpServerResponse response, O answer) {
        byte[] out;
        try {
            out = writer.writeValueAsBytes(answer);
        } catch (Exception e) {
            fail(response, e);
            return;
        }
        response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(out));
    }

    private void fail(HttpServerResponse response, Throwable e) {
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
