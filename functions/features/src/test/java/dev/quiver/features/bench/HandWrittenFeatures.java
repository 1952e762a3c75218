package dev.quiver.features.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.feature.FeatureDefinitions;
import dev.quiver.redis.feast.FeastRedisLayout;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor under {@code POST /get-online-features} in {@code vs-raw-redis.sh}: an HTTP server that does only the
 * hop and the Redis reads. It knows a few bodies, each with its answer file (the function's own answer to it, so that
 * the bytes on the wire are the same). For a {@code POST} of one of them it sends that body's HMGETs (the same keys and
 * fields as {@link RawRedisHmget}, pipelined on its event loop's own connection, as the features function does) and,
 * when the replies are in, sends the answer; another body gets a 400. With {@code none} for the Redis URI it answers at
 * once: the HTTP hop alone. It parses no JSON, builds no answer, and has no tracing, metrics, checks or timeouts: what
 * lies between its figures and the function's is the function's own work.
 *
 * <p>Usage, from the repository root, on the features function's test classpath, with twice the processors as event
 * loops (as Quarkus has): {@code HandWrittenFeatures PORT REDIS_URI|none BODY ANSWER [BODY ANSWER...]}.
 */
public final class HandWrittenFeatures extends AbstractVerticle {

    private final int port;
    private final String redisUri;
    private final List<Known> known;
    private RedisConnection connection;

    /** A body it answers: the body's bytes, its Redis keys and HMGET fields, and the answer. */
    private record Known(Buffer body, List<byte[]> keys, List<byte[]> fields, Buffer answer) {
    }

    private HandWrittenFeatures(int port, String redisUri, List<Known> known) {
        this.port = port;
        this.redisUri = redisUri;
        this.known = known;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String redisUri = "none".equals(args[1]) ? null : args[1];
        FeatureDefinitions definitions = FeatureDefinitions.read(Path.of("config/features.yaml"));
        FeastRedisLayout layout = new FeastRedisLayout(definitions.project(), 3);
        List<Known> known = new ArrayList<>();
        for (int i = 2; i + 1 < args.length; i += 2) {
            byte[] body = Files.readAllBytes(Path.of(args[i]));
            List<byte[]> fields = new ArrayList<>();
            List<byte[]> keys = RawRedisHmget.keysAndFields(new ObjectMapper().readTree(body), definitions, layout,
                    fields);
            known.add(new Known(Buffer.buffer(body), keys, fields, Buffer.buffer(Files.readAllBytes(Path.of(args[i + 1])))));
        }
        int loops = 2 * Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops)
                // the transport the function is told to prefer in the same JVM options
                .setPreferNativeTransport(Boolean.getBoolean("quarkus.vertx.prefer-native-transport")));
        vertx.deployVerticle(() -> new HandWrittenFeatures(port, redisUri, known),
                        new DeploymentOptions().setInstances(loops))
                .toCompletionStage().toCompletableFuture().get();
        System.out.println("listening on " + port);
    }

    @Override
    public void start(Promise<Void> started) {
        // each instance runs on an event loop of its own, with its own connection: no call crosses threads
        var listening = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    Known call = known.stream().filter(k -> k.body().equals(body)).findFirst().orElse(null);
                    if (call == null) {
                        request.response().setStatusCode(400).end();
                        return;
                    }
                    if (connection == null) {
                        request.response().putHeader("content-type", "application/json").end(call.answer());
                        return;
                    }
                    List<Request> batch = new ArrayList<>(call.keys().size());
                    for (byte[] key : call.keys()) {
                        Request hmget = Request.cmd(Command.HMGET).arg(key);
                        call.fields().forEach(hmget::arg);
                        batch.add(hmget);
                    }
                    connection.batch(batch).onComplete(ar -> {
                        if (ar.succeeded()) {
                            request.response().putHeader("content-type", "application/json").end(call.answer());
                        } else {
                            request.response().setStatusCode(503).end();
                        }
                    });
                }))
                .listen(port, "127.0.0.1");
        if (redisUri == null) {
            listening.<Void>mapEmpty().onComplete(started);
            return;
        }
        listening.compose(server -> Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUri)
                        .setNetClientOptions(new NetClientOptions().setTcpNoDelay(true))).connect())
                .onSuccess(c -> connection = c)
                .<Void>mapEmpty()
                .onComplete(started);
    }
}
