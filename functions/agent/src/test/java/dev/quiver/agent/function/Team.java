package dev.quiver.agent.function;

import dev.quiver.testing.files.Repository;
import dev.quiver.testing.agents.TeamDirectory;
import dev.quiver.testing.files.TempDirectory;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's surroundings in its tests, as real HTTP endpoints on a free port: the project manager and the data
 * scientist as CloudEvent sinks that record what reaches them, and the predict function's rollout API with a rollout
 * of churn version 2 over 1 running, which records rollbacks. The agent directory names them; the agent's stores go
 * to a fresh directory.
 */
public class Team implements QuarkusTestResourceLifecycleManager {

    /** One request: its path, headers (lower-case names) and body. */
    public record Received(String path, Map<String, String> headers, String body) {
    }

    public static final List<Received> PROJECT_MANAGER = new CopyOnWriteArrayList<>();
    public static final List<Received> DATA_SCIENTIST = new CopyOnWriteArrayList<>();
    public static final List<Received> ROLLBACKS = new CopyOnWriteArrayList<>();
    /** While set, the stand-in predict function answers 503. */
    public static final AtomicBoolean PREDICT_DOWN = new AtomicBoolean();
    /** The agent's state directory. */
    public static Path state;

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        record(server, "/pm", PROJECT_MANAGER);
        record(server, "/ds", DATA_SCIENTIST);
        server.createContext("/predict/rollouts/", exchange -> {
            Received r = read(exchange);
            byte[] body;
            int status;
            if (PREDICT_DOWN.get()) {
                status = 503;
                body = "{\"detail\":\"starting\"}".getBytes(StandardCharsets.UTF_8);
            } else if (exchange.getRequestMethod().equals("POST") && r.path().endsWith("/rollback")) {
                ROLLBACKS.add(r);
                status = 200;
                body = "{}".getBytes(StandardCharsets.UTF_8);
            } else if (r.path().equals("/predict/rollouts/churn")) {
                status = 200;
                body = ("{\"rollout\": {\"id\": \"churn-r1\", \"champion_version\": \"1\", \"challenger_version\": \"2\","
                        + " \"status\": \"RUNNING\"}}").getBytes(StandardCharsets.UTF_8);
            } else {
                status = 404;
                body = "{\"detail\":\"no rollout\"}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        state = TempDirectory.create("quiver-agent-test");
        Path agents = state.resolve("agents.yaml");
        TeamDirectory.write(agents, "cloudevent: " + base + "/pm", "cloudevent: " + base + "/ds",
                "kafka: quiver.team.data-engineer");
        return Map.of("quiver.agents.directory", agents.toString(),
                "quiver.agent.state", state.resolve("state").toString(),
                "quiver.agent.predict.url", base + "/predict",
                "quiver.agent.models.allowed-stores", state.resolve("store").toUri().toString(),
                "quiver.features.definitions", Repository.path("config/features.yaml").toString(),
                "quiver.features.store.path", state.resolve("features").toString());
    }

    private static void record(HttpServer server, String path, List<Received> into) {
        server.createContext(path, exchange -> {
            into.add(read(exchange));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
    }

    private static Received read(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
        return new Received(exchange.getRequestURI().getPath(), headers,
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Override
    public void stop() {
        server.stop(0);
        TempDirectory.delete(state);
    }
}
