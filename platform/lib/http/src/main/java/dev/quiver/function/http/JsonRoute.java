package dev.quiver.function.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One {@code POST} door on a Vert.x route: reads the JSON body as {@code I}, calls the function, writes its
 * {@code O} as JSON with 200, or the error body and status that {@link Failures} gives any failure (a
 * {@code Retry-After} header with a 503). A small body is parsed on the event loop, and the call runs there
 * unless the door says this request blocks (a file lock, models still loading); a large body, or a request that
 * blocks, goes to a worker thread, so the event loop never waits on a big batch.
 *
 * <p>The function may answer later ({@link #async}): it returns a stage, and the answer is written when the stage
 * completes, from the request's own Vert.x context. That is how a door waits on the network without blocking
 * anything: the function sends its request (a Redis pipeline) from the event loop and returns, and the loop
 * serves other connections until the reply arrives.
 *
 * <p>A door may also answer in batches ({@link Batch}): the calls answered on one event loop are then held until
 * that loop has read every request that arrived with them, and answered together, as an inference server's dynamic
 * batcher does with no added wait. Under load that gathers as many calls as the loop's connections sent at once;
 * alone, a call is answered as soon as it is read. The gathering is {@link EventLoopBatcher}'s; the answers are
 * written from pooled memory, a large one in parts, by {@link PooledJsonWriter}.
 *
 * @param <I> the request body's type
 * @param <O> the answer's type
 */
public final class JsonRoute<I, O> {

    /** Bodies up to this size may be answered on the event loop; larger ones always go to a worker thread. */
    public static final int INLINE_BODY_BYTES = 16 * 1024;

    /**
     * With {@link #onCompressingServer}, answers from this size on may be compressed for a caller that accepts it
     * ({@code Accept-Encoding: gzip}, which Feast's Python client and most HTTP libraries send by default), smaller
     * ones go as they are: below a few kilobytes a fresh compressor per answer costs the event loop more than the
     * bytes it saves.
     */
    public static final int COMPRESS_FROM_BYTES = 8 * 1024;

    /** Answers larger than this go to the socket in parts of this size, each its own write (see PooledJsonWriter). */
    public static final int WRITE_PART_BYTES = PooledJsonWriter.WRITE_PART_BYTES;

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final byte[] INTERNAL_ERROR = "{\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8);

    private final ObjectReader reader;
    private final ObjectWriter writer;
    /** Writes error bodies. */
    private final ObjectWriter errorWriter;
    /** Answers a request on the event loop, perhaps later. */
    private final Function<I, CompletionStage<O>> function;
    /** Answers a request on a worker thread, where it may block. */
    private final Function<I, O> blocking;
    private final Predicate<I> blocks;
    private final Batch<I, O> batch;
    /** Gathers the calls an event loop reads in one turn; null without a {@link Batch}. */
    private final EventLoopBatcher<Queued<I>> batcher;
    /** Null: the server does not compress, and no header is touched; else whether large answers may be. */
    private Boolean compressLarge;

    /**
     * Answers several calls at once: answer {@code i}, a stage that may complete later, belongs to call {@code i},
     * and a call that fails alone fails its own stage.
     */
    @FunctionalInterface
    public interface Batch<I, O> {
        List<CompletionStage<O>> apply(List<Call<I>> calls);
    }

    /** One call of a batch: its request, and the trace context it arrived in, the parent of the spans it makes. */
    public record Call<I>(I request, Context trace) {
    }

    private record Queued<I>(RoutingContext ctx, io.vertx.core.Context vertx, Call<I> call) {
    }

    /**
     * @param nonBlocking whether {@code function} never blocks (no network, no file lock), so that a small
     *                    request may be answered on the event loop
     */
    public JsonRoute(ObjectMapper mapper, Class<I> in, Class<O> out, Function<I, O> function, boolean nonBlocking) {
        this(mapper, in, out, request -> Stages.now(() -> function.apply(request)), function, request -> !nonBlocking,
                null);
    }

    /**
     * A door whose function answers later on the event loop: see the class comment.
     *
     * @param function answers a request on the event loop without blocking it, perhaps later
     * @param blocking answers a request on a worker thread, where it may wait: a large body, or one that
     *                 {@code blocks} names. It gives what {@code function} would, and keeps the work that follows a
     *                 wait (scoring a big batch) off the event loop
     * @param blocks   whether this request (read from a small body on the event loop) needs a worker thread
     * @param batch    answers the calls that would be answered on the event loop, together (see the class comment);
     *                 null: each on its own with {@code function}
     */
    public static <I, O> JsonRoute<I, O> async(ObjectMapper mapper, Class<I> in, Class<O> out,
                                               Function<I, CompletionStage<O>> function, Function<I, O> blocking,
                                               Predicate<I> blocks, Batch<I, O> batch) {
        return new JsonRoute<>(mapper, in, out, function, blocking, blocks, batch);
    }

    private JsonRoute(ObjectMapper mapper, Class<I> in, Class<O> out, Function<I, CompletionStage<O>> function,
                      Function<I, O> blocking, Predicate<I> blocks, Batch<I, O> batch) {
        this.batch = batch;
        this.batcher = batch == null ? null : new EventLoopBatcher<>(this::answerPending, this::failPending);
        this.errorWriter = mapper.writer();
        this.reader = mapper.readerFor(in);
        this.writer = mapper.writerFor(out);
        this.function = function;
        this.blocking = blocking;
        this.blocks = blocks;
    }

    /**
     * Declares that the HTTP server compresses (Vert.x's {@code compressionSupported}; Quarkus's build-time
     * {@code quarkus.http.enable-compression}), and whether this door lets it compress answers of
     * {@link #COMPRESS_FROM_BYTES} or more for a caller that accepts it. Every other answer is marked to go as it is.
     * Without this call the door touches no header, as suits a server that does not compress. Call it before
     * {@link #install}.
     */
    public JsonRoute<I, O> onCompressingServer(boolean compressLargeAnswers) {
        this.compressLarge = compressLargeAnswers;
        return this;
    }

    /** Serves {@code POST path} before any other route of the router, with bodies up to {@code maxBody} bytes. */
    public void install(Router router, String path, long maxBody) {
        router.post(path).order(-100).handler(BodyHandler.create(false).setBodyLimit(maxBody)).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        io.vertx.core.Context context = ctx.vertx().getOrCreateContext();
        if (body != null && body.length() > INLINE_BODY_BYTES) {
            ctx.vertx().executeBlocking(() -> {
                parseAndRespond(ctx, context, body, false);
                return null;
            }, false);
        } else {
            parseAndRespond(ctx, context, body, true);
        }
    }

    /** Parses the body and answers; on the event loop, a request that blocks moves to a worker thread first. */
    private void parseAndRespond(RoutingContext ctx, io.vertx.core.Context context, Buffer body, boolean onEventLoop) {
        I request;
        try {
            request = body == null || body.length() == 0 ? null : reader.readValue(body.getBytes());
        } catch (Exception e) {
            fail(ctx.response(), e);
            return;
        }
        if (!onEventLoop) {
            respond(ctx.response(), context, Stages.now(() -> blocking.apply(request)));
        } else if (blocks.test(request)) {
            ctx.vertx().executeBlocking(() -> {
                respond(ctx.response(), context, Stages.now(() -> blocking.apply(request)));
                return null;
            }, false);
        } else if (batcher != null) {
            batcher.add(context, new Queued<>(ctx, context, new Call<>(request, Context.current())));
        } else {
            respond(ctx.response(), context, call(request));
        }
    }

    /** The function's stage, or a stage failed with what it threw before returning one. */
    private CompletionStage<O> call(I request) {
        CompletionStage<O> answer = Stages.call(() -> function.apply(request));
        return answer != null ? answer
                : CompletableFuture.failedFuture(new IllegalStateException("the function gave no answer"));
    }

    /**
     * Answers the calls an event loop gathered, each once: one alone with the function, several with the batch. A call
     * that cannot be answered fails alone; when the batch itself throws, {@link #failPending} answers them all.
     */
    private void answerPending(List<Queued<I>> calls) {
        if (calls.size() == 1) {
            Queued<I> only = calls.get(0);
            try (Scope ignored = only.call().trace().makeCurrent()) {
                respond(only.ctx().response(), only.vertx(), call(only.call().request()));
            }
            return;
        }
        List<Call<I>> requests = new ArrayList<>(calls.size());
        calls.forEach(q -> requests.add(q.call()));
        List<CompletionStage<O>> answers = batch.apply(requests);
        for (int i = 0; i < calls.size(); i++) {
            CompletionStage<O> answer = answers != null && i < answers.size() ? answers.get(i) : null;
            Queued<I> call = calls.get(i);
            try (Scope ignored = call.call().trace().makeCurrent()) {
                respond(call.ctx().response(), call.vertx(), answer != null ? answer
                        : CompletableFuture.failedFuture(new IllegalStateException("the batch gave call " + i
                        + " no answer")));
            } catch (RuntimeException e) {
                // this call alone could not be answered; the others still are
                if (!call.ctx().response().ended()) {
                    try {
                        fail(call.ctx().response(), e);
                    } catch (RuntimeException ignored) {
                        // nothing more can be done for this connection
                    }
                }
            }
        }
    }

    /** Answers a gathered call with {@code failure} unless it was answered already. */
    private void failPending(Queued<I> call, Throwable failure) {
        if (!call.ctx().response().ended()) {
            try (Scope ignored = call.call().trace().makeCurrent()) {
                fail(call.ctx().response(), failure);
            }
        }
    }

    /**
     * Writes the answer once the stage completes: at once when it has, else from the request's Vert.x context when
     * the stage completes (on that context already, as a read on the loop's own connection does, it writes there).
     */
    private void respond(HttpServerResponse response, io.vertx.core.Context context, CompletionStage<O> answer) {
        CompletableFuture<O> done = answer.toCompletableFuture();
        if (done.isDone()) {
            complete(response, done);
            return;
        }
        answer.whenComplete((value, failure) -> {
            if (Vertx.currentContext() == context) {
                complete(response, done);
            } else {
                context.runOnContext(v -> complete(response, done));
            }
        });
    }

    private void complete(HttpServerResponse response, CompletableFuture<O> done) {
        O answer;
        try {
            answer = done.join();
        } catch (CancellationException e) {
            fail(response, QuiverException.unavailable("the call was cancelled"));
            return;
        } catch (CompletionException e) {
            fail(response, Stages.unwrap(e));
            return;
        } catch (RuntimeException e) {
            fail(response, e);
            return;
        }
        write(response, answer);
    }

    private void write(HttpServerResponse response, O answer) {
        ByteBuf out;
        try {
            out = PooledJsonWriter.encode(writer, answer);
        } catch (Exception e) {
            fail(response, e);
            return;
        }
        response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        end(response, out);
    }

    /** Sends {@code body}, letting the server compress it or not; {@link PooledJsonWriter#send} releases it. */
    private void end(HttpServerResponse response, ByteBuf body) {
        try {
            mayCompress(response, body.readableBytes());
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        PooledJsonWriter.send(response, body);
    }

    /**
     * Lets the server compress an answer of {@code length} bytes or not (see {@link #onCompressingServer}). Vert.x
     * compresses every answer that has no {@code Content-Encoding} when compression is on, and none marked
     * {@code identity}, a mark it takes off before sending; Quarkus marks them all and unmarks only the routes it
     * knows of, which this one is not.
     */
    private void mayCompress(HttpServerResponse response, int length) {
        if (compressLarge == null) {
            return;
        }
        if (compressLarge && length >= COMPRESS_FROM_BYTES) {
            response.headers().remove(HttpHeaders.CONTENT_ENCODING);
        } else {
            response.putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
        }
    }

    private void fail(HttpServerResponse response, Throwable e) {
        Failures.Answer a = Failures.of(e);
        response.setStatusCode(a.status());
        if (a.retryAfterSeconds() > 0) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(a.retryAfterSeconds()));
        }
        ByteBuf out;
        try {
            out = PooledJsonWriter.encode(errorWriter, a.body());
        } catch (Exception unexpected) {
            out = Unpooled.wrappedBuffer(INTERNAL_ERROR);
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        end(response, out);
    }
}
