package dev.quiver.redis.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Redis connection per event loop of a Vert.x instance, on which every command sent from that loop is
 * pipelined: a call waits for no connection, and its reply is handled on the loop that sent it.
 *
 * <p>Contract:
 * <ul>
 *   <li>One connection per event loop. {@link #send} and {@link #batch} are called on an event loop of the instance
 *   and go out on that loop's connection. Each loop opens its connection through a Redis client of its own, made on
 *   that loop, so the socket lives on the loop that uses it; no loop ever uses another's.</li>
 *   <li>Created when first needed: by the loop's first call, or ahead of time for every loop by {@link #openAll},
 *   so that no call pays for opening one. A connection that fails to open is opened again by the loop's next
 *   call; that call fails as the opening did.</li>
 *   <li>Replaced after a failure: a connection on which a call fails, that reports an error, or that Redis closes
 *   is forgotten and its socket closed; the loop's next call opens another. {@link #dropCurrent} does the same on
 *   demand, for a connection that does not answer. The call that failed is not sent again.</li>
 *   <li>Closed by {@link #close}, which closes every connection and client, from any thread; a call made afterwards
 *   fails.</li>
 * </ul>
 * Apart from {@link #openAll} and {@link #close}, every method concerns the calling event loop's connection and is
 * called on that loop.
 */
final class LoopConnections implements AutoCloseable {

    private final Vertx vertx;
    private final RedisOptions options;
    /**
     * Each event loop's own client. One per loop, not one for all: a shared client's pool opened a connection on one
     * loop and lent it to another, so that every call of the second loop crossed to the first and back.
     */
    private final ThreadLocal<Redis> loopClient = new ThreadLocal<>();
    /** The loops' clients made so far, for {@link #close}. */
    private final Set<Redis> clients = ConcurrentHashMap.newKeySet();
    /** Each event loop's connection, being opened or open; none after it failed, ended or was dropped. */
    private final ThreadLocal<Future<RedisConnection>> loopConnection = new ThreadLocal<>();
    /** The connections open now, for {@link #close}. */
    private final Set<RedisConnection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param uri     the connection string, credentials included
     * @param sockets how the connections open their sockets
     */
    LoopConnections(Vertx vertx, String uri, NetClientOptions sockets) {
        this.vertx = vertx;
        this.options = new RedisOptions()
                .setConnectionString(uri)
                // the loop's connection, and a few being replaced
                .setMaxPoolSize(8)
                .setMaxPoolWaiting(8)
                .setNetClientOptions(sockets);
    }

    /** Sends {@code request} on this event loop's connection; a failure drops the connection. */
    Future<Response> send(Request request) {
        return connection().compose(c -> c.send(request).onFailure(e -> drop(c)));
    }

    /** Sends {@code requests} as one pipeline on this event loop's connection; a failure drops the connection. */
    Future<List<Response>> batch(List<Request> requests) {
        return connection().compose(c -> c.batch(requests).onFailure(e -> drop(c)));
    }

    /**
     * Opens every event loop's connection now, in the background, each on its own loop. Vert.x offers no public way
     * to run code on a chosen event loop, so this uses its own; with a Vert.x that is not its implementation, each
     * loop opens its connection on first use.
     */
    void openAll() {
        if (!(vertx instanceof io.vertx.core.impl.VertxInternal internal)) {
            return;
        }
        for (io.netty.util.concurrent.EventExecutor e : vertx.nettyEventLoopGroup()) {
            internal.createEventLoopContext((io.netty.channel.EventLoop) e, internal.getWorkerPool(),
                            Thread.currentThread().getContextClassLoader())
                    .runOnContext(v -> connection());
        }
    }

    /**
     * Closes this event loop's connection, if it has one, without waiting for what is under way on it; the next call
     * opens another. For a connection that did not answer in time, and may never answer (a peer gone without a word).
     */
    void dropCurrent() {
        Future<RedisConnection> current = loopConnection.get();
        loopConnection.remove();
        if (current != null) {
            current.onSuccess(c -> {
                open.remove(c);
                discard(c);
            });
        }
    }

    /** How many connections are open now, over all event loops. */
    int openCount() {
        return open.size();
    }

    /** Closes every connection and client; calls made afterwards fail. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (RedisConnection c : open) {
            discard(c);
        }
        for (Redis client : clients) {
            client.close();
        }
    }

    /** This event loop's connection, opened now if it has none or its last one failed to open. */
    private Future<RedisConnection> connection() {
        Future<RedisConnection> current = loopConnection.get();
        if (current != null && !current.failed()) {
            return current;
        }
        Redis client = loopClient.get();
        if (client == null) {
            client = Redis.createClient(vertx, options);
            loopClient.set(client);
            clients.add(client);
            if (closed) {
                // close() may have run before this loop made its client: close it as close() would have
                client.close();
            }
        }
        Future<RedisConnection> opening = client.connect();
        loopConnection.set(opening);
        opening.onSuccess(c -> {
            open.add(c);
            Runnable forget = () -> {
                open.remove(c);
                if (loopConnection.get() == opening) {
                    loopConnection.remove();
                }
            };
            c.exceptionHandler(e -> {
                forget.run();
                discard(c);
            });
            c.endHandler(v -> forget.run());
            if (closed) {
                discard(c);
            }
        });
        return opening;
    }

    /**
     * Closes {@code c} after a call on it failed, and forgets it if it is still this event loop's connection: a
     * connection Redis closed (a restart) may not have said so yet, and an error reply costs only a reconnect.
     */
    private void drop(RedisConnection c) {
        Future<RedisConnection> current = loopConnection.get();
        if (current != null && current.succeeded() && current.result() == c) {
            loopConnection.remove();
        }
        open.remove(c);
        discard(c);
    }

    /**
     * Closes a connection's socket. Closing a pooled connection would hand it back to its pool, to be lent again with
     * whatever it is stuck on; Vert.x has no public call that closes one for good, so this uses its own.
     */
    private static void discard(RedisConnection c) {
        if (c instanceof io.vertx.redis.client.impl.PooledRedisConnection pooled
                && pooled.actual() instanceof io.vertx.redis.client.impl.RedisStandaloneConnection standalone) {
            standalone.forceClose();
        } else {
            c.close();
        }
    }
}
