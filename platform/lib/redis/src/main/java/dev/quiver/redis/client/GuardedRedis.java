package dev.quiver.redis.client;

import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.RedisOptions;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A Redis client that never makes its caller wait longer than a timeout, and stops trying a server that keeps
 * failing: the reliability half of {@link dev.quiver.redis.feast.RedisOnlineStore}.
 *
 * <p>{@link #call} returns at once with a stage; {@link #callAndWait} is its blocking form, for callers whose own
 * contract blocks. The Redis client runs on a Vert.x instance: the application's, when it has one (a Quarkus
 * function passes its own), or a private one with a single event loop. On the application's instance, a call made
 * on one of its event loops issues the commands right there, on that loop's own connection (every event loop keeps
 * one, opened at start, on which all its calls are pipelined: {@code LoopConnections}), and its stage completes on that loop and in the
 * caller's Vert.x context: a read costs the loop no thread hand-off and waits for no connection. Calls that manage a
 * connection themselves (writes) borrow one from a pool. Any other call goes through one event loop of the
 * instance, and its stage completes there. {@link #callAndWait} is refused on an event loop of the instance, where
 * it would wait on itself.
 *
 * <p>Every call runs inside Vert.x's circuit breaker: a call that fails or does not answer within the timeout counts
 * as a failure; {@code failureThreshold} failures with no success between them open the circuit; while open, calls
 * fail at once on the caller's thread without touching the network; after {@code openDuration} one trial call goes
 * through, and its success closes the circuit (its failure opens it again). Every failure surfaces as a
 * {@link QuiverException} of kind UNAVAILABLE whose message says what happened and, for an open circuit, when Redis
 * will be tried again.
 *
 * <p>Each round trip is a CLIENT span, child of the span current on the calling thread.
 */
public final class GuardedRedis implements AutoCloseable {

    private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
    private static final AttributeKey<String> DB_OPERATION = AttributeKey.stringKey("db.operation");
    private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<Long> ENTITIES = AttributeKey.longKey("quiver.entities");

    /**
     * How much longer than the timeout a caller waits before giving up on its own: the call's timer fires on the
     * event loop, gives the loop one more read of its sockets (1 ms), and its verdict needs a hop back, which a busy
     * loop or a GC pause can delay a little.
     */
    private static final long SLACK_MILLIS = 25;

    /**
     * The breaker counts failures in a rolling window and forgets them on any success. A window far longer than any
     * gap between calls makes that "failures in a row".
     */
    private static final long FAILURE_WINDOW_MILLIS = Duration.ofMinutes(10).toMillis();

    private final Vertx vertx;
    /** Whether this instance made {@link #vertx} and closes it. */
    private final boolean ownsVertx;
    private final io.vertx.core.Context loop;
    /** The pool that lends connections to calls that manage one themselves. */
    private final Redis redis;
    /** Each event loop's own connection, on which the calls made on that loop are pipelined. */
    private final LoopConnections loops;
    private final CircuitBreaker breaker;
    private final String target;
    private final long timeoutMillis;
    private final long openNanos;
    private final int failureThreshold;
    private final Tracer tracer;
    private final String host;
    private final long port;
    private volatile long openedAtNanos;
    private volatile boolean closed;
    private final LoopClient loopClient = new LoopClient();

    /**
     * @param uri              the connection string, credentials included
     * @param redactedUri      the same without credentials, for messages
     * @param timeout          the longest a call may take
     * @param failureThreshold failures in a row that open the circuit
     * @param openDuration     how long the circuit stays open before a trial call
     * @param poolSize         pooled connections to keep, for calls that borrow one (the event loops' own come on top)
     * @param tracer           where round trips are traced
     * @param vertx            the application's Vert.x, whose event loops do the I/O; null for a private one
     */
    public GuardedRedis(String uri, String redactedUri, Duration timeout, int failureThreshold, Duration openDuration,
                        int poolSize, Tracer tracer, Vertx vertx) {
        this.target = redactedUri;
        this.timeoutMillis = timeout.toMillis();
        this.openNanos = openDuration.toNanos();
        this.failureThreshold = failureThreshold;
        this.tracer = tracer;
        URI parsed = URI.create(uri);
        this.host = parsed.getHost();
        this.port = parsed.getPort() == -1 ? 6379 : parsed.getPort();

        this.ownsVertx = vertx == null;
        // A private instance: one event loop does all the I/O; no file cache, since it never serves files.
        this.vertx = vertx != null ? vertx : Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)
                .setWorkerPoolSize(1).setInternalBlockingPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        this.loop = this.vertx.getOrCreateContext();
        this.redis = Redis.createClient(this.vertx, new RedisOptions()
                .setConnectionString(uri)
                .setMaxPoolSize(poolSize)
                // calls beyond the pool queue for a connection, within their own timeout
                .setMaxPoolWaiting(Math.max(64, poolSize * 16))
                .setNetClientOptions(socketOptions()));
        this.loops = new LoopConnections(this.vertx, uri, socketOptions());
        this.breaker = CircuitBreaker.create("redis " + redactedUri, this.vertx, new CircuitBreakerOptions()
                        .setMaxFailures(failureThreshold)
                        // the timeout is within()'s, which lets the loop read a reply that is already there
                        .setTimeout(-1)
                        .setResetTimeout(openDuration.toMillis())
                        .setFailuresRollingWindow(FAILURE_WINDOW_MILLIS)
                        .setFallbackOnFailure(false))
                .openHandler(v -> openedAtNanos = System.nanoTime());
    }

    /** How every client here opens its sockets. */
    private NetClientOptions socketOptions() {
        // a connect that takes longer than a call may is of no use; bound it so sockets do not pile up
        return new NetClientOptions().setTcpNoDelay(true).setConnectTimeout((int) Math.max(1000, timeoutMillis));
    }

    /**
     * Checks the options every Redis adapter takes and returns {@code uri} {@link #redact}ed: {@code uri} must be
     * {@code redis://host[:port]} or {@code rediss://host[:port]}, {@code prefix} (the start of the adapter's keys) not
     * blank, {@code timeout} at least 1 ms.
     *
     * @throws IllegalArgumentException starting with the name of the option that is invalid
     */
    public static String checkOptions(String uri, String prefix, Duration timeout) {
        java.util.Objects.requireNonNull(uri, "uri");
        String redacted = redact(uri);
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("uri: '" + redacted + "' is not a URI: " + e.getReason());
        }
        if (!("redis".equals(parsed.getScheme()) || "rediss".equals(parsed.getScheme())) || parsed.getHost() == null) {
            throw new IllegalArgumentException("uri: must be redis://host[:port] or rediss://host[:port], not '"
                    + redacted + "'");
        }
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("key-prefix: must not be blank");
        }
        if (timeout == null || timeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeout: must be at least 1 ms, not " + timeout);
        }
        return redacted;
    }

    /** {@code uri} without credentials: {@code scheme://host:port[/db]}, safe for messages and span attributes. */
    public static String redact(String uri) {
        int at = uri.indexOf('@');
        int scheme = uri.indexOf("://");
        return at > scheme && scheme >= 0 ? uri.substring(0, scheme + 3) + uri.substring(at + 1) : uri;
    }

    /**
     * Starts {@code work} on the event loop and returns at once, outside the breaker and the timeout; its outcome is
     * ignored. For work that makes the first real call faster (loading a script) and that matters nothing if it fails.
     * Also opens every event loop's own connection in the background, so that no call pays for opening one.
     */
    public void warmUp(Function<Redis, Future<?>> work) {
        loop.runOnContext(v -> work.apply(loopClient));
        loops.openAll();
    }

    /**
     * Runs {@code operation} against Redis without waiting: the stage holds the result, or fails with a
     * {@link QuiverException} of kind UNAVAILABLE when Redis fails, does not answer within the timeout, or the circuit
     * is open (then at once, on the calling thread, without touching the network). Called on an event loop of this
     * client's Vert.x, the commands go out from that loop and the stage completes on it; otherwise the stage
     * completes on the client's event loop, so what the caller chains to it should be short or hop to a thread of its
     * own. Never blocks.
     *
     * @param operation the command's name, for the span: {@code HMGET}, {@code EVALSHA}
     * @param entities  how many entities the round trip is about, for the span
     * @param call      issues the commands; runs on an event loop and must not block
     */
    public <T> CompletionStage<T> call(String operation, int entities, Function<Redis, Future<T>> call) {
        Span[] span = new Span[1];
        CompletableFuture<T> started;
        try {
            started = start(operation, entities, call, span);
        } catch (QuiverException e) {
            return CompletableFuture.failedFuture(e);
        }
        return started.handle((value, failure) -> {
            try {
                if (failure != null) {
                    throw failed(span[0], translate(failure));
                }
                return value;
            } finally {
                span[0].end();
            }
        });
    }

    /**
     * Runs {@code operation} as {@link #call} does and blocks the calling thread until its result, for callers whose
     * own contract is blocking (a store's write, the profile store). It waits at most the timeout and a few
     * milliseconds, also when the event loop is late to say so.
     *
     * @throws QuiverException UNAVAILABLE when Redis fails, does not answer within the timeout, or the circuit is open
     * @throws IllegalStateException on an event loop of this client's Vert.x, which would wait on itself
     */
    public <T> T callAndWait(String operation, int entities, Function<Redis, Future<T>> call) {
        if (io.vertx.core.Context.isOnEventLoopThread() && Vertx.currentContext() != null
                && Vertx.currentContext().owner() == vertx) {
            throw new IllegalStateException("a blocking redis call on an event loop of its own Vert.x would wait on "
                    + "itself; use call there, which does not block");
        }
        Span[] span = new Span[1];
        CompletableFuture<T> result = start(operation, entities, call, span);
        try {
            return result.get(timeoutMillis + SLACK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw failed(span[0], late());
        } catch (ExecutionException e) {
            throw failed(span[0], translate(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(span[0], QuiverException.unavailable("interrupted while waiting for redis at " + target));
        } finally {
            span[0].end();
        }
    }

    /**
     * Checks that a call may go out, starts its span ({@code span[0]}) and issues it inside the breaker, on the
     * calling event loop when it is one of this client's Vert.x, else on the client's loop.
     *
     * @throws QuiverException UNAVAILABLE when the store is closed or the circuit open, before any span
     */
    private <T> CompletableFuture<T> start(String operation, int entities, Function<Redis, Future<T>> call,
                                           Span[] span) {
        if (closed) {
            throw QuiverException.unavailable("the redis online store for " + target + " is closed");
        }
        if (breaker.state() == CircuitBreakerState.OPEN) {
            // Fail on the caller's thread: an open circuit must cost neither a hop nor the network.
            throw openCircuit();
        }
        span[0] = tracer.spanBuilder("redis " + operation)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(DB_SYSTEM, "redis")
                .setAttribute(DB_OPERATION, operation)
                .setAttribute(SERVER_ADDRESS, host)
                .setAttribute(SERVER_PORT, port)
                .setAttribute(ENTITIES, (long) entities)
                .startSpan();
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable task = () -> breaker.<T>execute(promise -> within(call.apply(loopClient), promise))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        result.complete(ar.result());
                    } else {
                        result.completeExceptionally(ar.cause());
                    }
                });
        // The caller's context, with the span in it, is current where the task runs too, so whatever is traced
        // there nests under the span; it must be captured here, on the caller's thread.
        Runnable traced = Context.current().with(span[0]).wrap(task);
        io.vertx.core.Context current = Vertx.currentContext();
        if (current != null && current.owner() == vertx && io.vertx.core.Context.isOnEventLoopThread()) {
            traced.run();
        } else {
            loop.runOnContext(v -> traced.run());
        }
        return result;
    }

    /**
     * Completes {@code promise} with {@code issued}'s outcome, or fails it as late when the timeout has passed with no
     * reply handled <em>and</em> the event loop has since read its sockets once more. The second condition matters when
     * the loop is busy: work it does while reading requests (a burst of calls before the JIT has compiled their code)
     * can keep it past the deadline, and its timers run before it reads the sockets again, so a reply Redis sent in a
     * millisecond would otherwise be called late, and a few such calls would open the circuit on a healthy Redis. The
     * timers run on the calling event loop, with the connection.
     */
    private <T> void within(Future<T> issued, Promise<T> promise) {
        long deadline = vertx.setTimer(timeoutMillis, passed -> vertx.setTimer(1, readAgain -> {
            if (promise.tryFail(new CallTimedOut())) {
                // a connection that does not answer may never answer (a peer gone without a word): start afresh
                loops.dropCurrent();
            }
        }));
        issued.onComplete(ar -> {
            vertx.cancelTimer(deadline);
            if (ar.succeeded()) {
                promise.tryComplete(ar.result());
            } else {
                promise.tryFail(ar.cause());
            }
        });
    }

    /**
     * What the calls see as their client. {@code send} and {@code batch} go out on the calling event loop's own
     * connection ({@link LoopConnections}), where Redis pipelines them with every other call of that loop: a pool
     * lends a connection to one call for its whole round trip, so under a burst concurrent calls queued for one past
     * their timeout. {@code connect} lends a pooled connection, for calls that manage one themselves (the writes'
     * retry of a refused script on the same connection).
     */
    private final class LoopClient implements Redis {

        @Override
        public Future<RedisConnection> connect() {
            return redis.connect();
        }

        @Override
        public void close() {
            // the client is the store's, closed with it
        }

        @Override
        public Future<Response> send(Request request) {
            return loops.send(request);
        }

        @Override
        public Future<List<Response>> batch(List<Request> requests) {
            return loops.batch(requests);
        }
    }

    /** A call that had no reply within the timeout; {@link #translate} turns it into the caller's UNAVAILABLE. */
    private static final class CallTimedOut extends RuntimeException {
        CallTimedOut() {
            super("timed out", null, false, false);
        }
    }

    private static QuiverException failed(Span span, QuiverException e) {
        span.setStatus(StatusCode.ERROR, e.getMessage());
        span.recordException(e);
        return e;
    }

    private QuiverException translate(Throwable failure) {
        Throwable cause = Stages.unwrap(failure);
        if (cause instanceof QuiverException q) {
            return q;
        }
        if (cause instanceof OpenCircuitException) {
            return openCircuit();
        }
        if (cause instanceof CallTimedOut) {
            return late();
        }
        String reason = cause.getMessage() == null || cause.getMessage().isBlank()
                ? "the connection failed" : cause.getMessage();
        return new QuiverException(QuiverException.Kind.UNAVAILABLE, null,
                "redis at " + target + " failed: " + reason, cause);
    }

    private QuiverException late() {
        return QuiverException.unavailable("redis at " + target + " did not answer within " + timeoutMillis + " ms");
    }

    private QuiverException openCircuit() {
        Duration wait = retryAfter();
        String when = breaker.state() == CircuitBreakerState.HALF_OPEN
                ? "a trial call is under way"
                : wait.isZero() ? "it is about to be tried again" : "it will be tried again in " + wait.toMillis()
                + " ms";
        // Half-open, the trial decides within the timeout: no better hint than the adapter's default.
        return QuiverException.unavailable("redis at " + target + " is unavailable: the circuit is open after "
                + failureThreshold + " failed calls in a row; " + when, wait.isZero() ? null : wait, null);
    }

    /**
     * How long until the circuit lets a trial call through: positive while it is open, zero when it is closed or
     * half-open. What an HTTP adapter puts in {@code Retry-After}.
     */
    public Duration retryAfter() {
        if (breaker.state() != CircuitBreakerState.OPEN) {
            return Duration.ZERO;
        }
        long left = openedAtNanos + openNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /**
     * Closes the connections, and the event loop when it is a private one; calls made afterwards fail UNAVAILABLE.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        breaker.close();
        loops.close();
        redis.close();
        if (!ownsVertx) {
            return;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The store is unusable either way; a close that failed or hangs leaves nothing the caller could retry.
        }
    }

    /** The fields and values of a hash as {@code HGETALL} answers it: a map (RESP3) or alternating items (RESP2). */
    public static java.util.List<java.util.Map.Entry<String, Response>> entries(Response hash) {
        java.util.List<java.util.Map.Entry<String, Response>> out = new java.util.ArrayList<>();
        if (hash == null) {
            return out;
        }
        if (hash.isMap()) {
            for (String field : hash.getKeys()) {
                out.add(java.util.Map.entry(field, hash.get(field)));
            }
        } else {
            for (int i = 0; i + 1 < hash.size(); i += 2) {
                out.add(java.util.Map.entry(hash.get(i).toString(), hash.get(i + 1)));
            }
        }
        return out;
    }
}
