package dev.quiver.testing.quarkus;

import com.sun.net.httpserver.HttpServer;
import dev.quiver.testing.files.Repository;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP endpoint on a free port that records every request it gets, standing in for a Knative broker or the
 * agent function; the function under test is configured ({@code quiver.team.sink-url}) to send every envelope for its
 * team there, addressed by the repository's {@code config/agents.yaml}. What it received stays in {@link #RECEIVED}
 * for the test class's life; a test that needs one kind picks it by {@code ce-type} ({@link #ofType}).
 */
public class CloudEventReceiver implements QuarkusTestResourceLifecycleManager {

    /** One request: its headers (lower-case names) and body. */
    public record Received(Map<String, String> headers, String body) {
    }

    public static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        RECEIVED.clear();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            RECEIVED.add(new Received(headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
        return Map.of("quiver.team.sink-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/events",
                "quiver.agents.directory", Repository.path("config/agents.yaml").toString());
    }

    /** What was received with this {@code ce-type}, oldest first. */
    public static List<Received> ofType(String type) {
        return RECEIVED.stream().filter(r -> type.equals(r.headers().get("ce-type"))).toList();
    }

    @Override
    public void stop() {
        server.stop(0);
    }
}
