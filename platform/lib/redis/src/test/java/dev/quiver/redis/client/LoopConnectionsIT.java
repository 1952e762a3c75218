package dev.quiver.redis.client;

import dev.quiver.testing.redis.RawRedis;
import dev.quiver.testing.redis.RedisServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link LoopConnections} against a real redis-server: one connection per event loop, replaced and closed. */
class LoopConnectionsIT {

    private static RedisServer server;

    private Vertx vertx;
    private LoopConnections connections;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        server.close();
    }

    @BeforeEach
    void forgetOtherClients() {
        try (RawRedis raw = server.client()) {
            raw.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
        }
    }

    @AfterEach
    void close() throws Exception {
        if (connections != null) {
            connections.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    /** Connections on a Vert.x with {@code loops} event loops, and a context on each loop, in order. */
    private List<Context> start(int loops) {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        connections = new LoopConnections(vertx, server.uri(), new NetClientOptions().setTcpNoDelay(true));
        VertxInternal internal = (VertxInternal) vertx;
        List<Context> contexts = new ArrayList<>();
        for (io.netty.util.concurrent.EventExecutor e : vertx.nettyEventLoopGroup()) {
            contexts.add(internal.createEventLoopContext((io.netty.channel.EventLoop) e, internal.getWorkerPool(),
                    Thread.currentThread().getContextClassLoader()));
        }
        return contexts;
    }

    @Test
    void eachEventLoopSendsEveryCallOnOneConnectionOfItsOwn() throws Exception {
        List<Context> loops = start(2);

        long first = clientId(loops.get(0));
        assertThat(clientId(loops.get(0))).isEqualTo(first);
        List<Response> concurrent = on(loops.get(0), () -> {
            List<Future<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(connections.send(Request.cmd(Command.CLIENT).arg("ID")));
            }
            return Future.all(calls).map(all -> all.<Response>list());
        });
        assertThat(concurrent).extracting(Response::toLong).containsOnly(first);
        List<Response> batch = on(loops.get(0), () -> connections.batch(List.of(Request.cmd(Command.CLIENT).arg("ID"),
                Request.cmd(Command.PING))));
        assertThat(batch.get(0).toLong()).isEqualTo(first);

        long second = clientId(loops.get(1));
        assertThat(second).as("the other loop's connection").isNotEqualTo(first);
        assertThat(connections.openCount()).isEqualTo(2);
        assertThat(serverClients()).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void openAllOpensOneConnectionPerEventLoopAhead() throws Exception {
        List<Context> loops = start(3);

        connections.openAll();

        until(() -> connections.openCount() == 3 && serverClients().size() == 3, "three connections open");
        Set<Long> ids = new HashSet<>();
        for (Context loop : loops) {
            ids.add(clientId(loop));
        }
        assertThat(ids).as("each loop answers on the connection opened for it").isEqualTo(serverClients());
    }

    @Test
    void aConnectionRedisClosesIsReplacedByTheLoopsNextCall() throws Exception {
        List<Context> loops = start(1);
        long before = clientId(loops.get(0));

        try (RawRedis raw = server.client()) {
            raw.call("CLIENT", "KILL", "ID", before);
        }

        long after = answering(loops.get(0));
        assertThat(after).isNotEqualTo(before);
        until(() -> connections.openCount() == 1, "the killed connection forgotten");
        assertThat(serverClients()).containsExactly(after);

        server.stop();
        assertThatThrownBy(() -> clientId(loops.get(0))).as("no server").isInstanceOf(ExecutionException.class);
        server.startAgain();
        answering(loops.get(0));
        assertThat(connections.openCount()).isOne();
    }

    @Test
    void dropCurrentClosesTheLoopsConnectionAndTheNextCallOpensAnother() throws Exception {
        List<Context> loops = start(2);
        long dropped = clientId(loops.get(0));
        long other = clientId(loops.get(1));

        on(loops.get(0), () -> {
            connections.dropCurrent();
            return Future.succeededFuture();
        });

        until(() -> !serverClients().contains(dropped), "the dropped connection closed");
        long next = clientId(loops.get(0));
        assertThat(next).isNotEqualTo(dropped);
        assertThat(clientId(loops.get(1))).as("the other loop keeps its own").isEqualTo(other);
        assertThat(serverClients()).containsExactlyInAnyOrder(next, other);
    }

    @Test
    void closeClosesEveryConnectionAndLaterCallsFail() throws Exception {
        List<Context> loops = start(3);
        clientId(loops.get(0));
        clientId(loops.get(1));

        connections.close();

        until(() -> serverClients().isEmpty(), "no connection left on the server");
        assertThat(connections.openCount()).isZero();
        assertThatThrownBy(() -> clientId(loops.get(0))).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> clientId(loops.get(2))).as("a loop that had no connection yet")
                .isInstanceOf(ExecutionException.class);
        assertThat(serverClients()).isEmpty();
    }

    /** The id Redis gives the connection that {@code loop} sends on. */
    private long clientId(Context loop) throws Exception {
        return on(loop, () -> connections.send(Request.cmd(Command.CLIENT).arg("ID"))).toLong();
    }

    /** The loop's client id once a call on it succeeds again; calls that meet the closed connection fail first. */
    private long answering(Context loop) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                return clientId(loop);
            } catch (ExecutionException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                RedisServer.sleep(20);
            }
        }
    }

    /** What {@code call} gives, run on {@code loop}. */
    private static <T> T on(Context loop, Supplier<Future<T>> call) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.runOnContext(v -> call.get().onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
            } else {
                result.completeExceptionally(ar.cause());
            }
        }));
        return result.get(5, TimeUnit.SECONDS);
    }

    /** The ids of the server's client connections, this probe's own left out. */
    private static Set<Long> serverClients() {
        try (RawRedis raw = server.client()) {
            long self = (Long) raw.call("CLIENT", "ID");
            Set<Long> ids = new HashSet<>();
            for (String line : raw.text("CLIENT", "LIST").split("\n")) {
                if (line.startsWith("id=")) {
                    long id = Long.parseLong(line.substring(3, line.indexOf(' ')));
                    if (id != self) {
                        ids.add(id);
                    }
                }
            }
            return ids;
        }
    }

    private static void until(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            RedisServer.sleep(10);
        }
    }
}
