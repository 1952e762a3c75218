package dev.quiver.testing.http;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP endpoint on a free port of 127.0.0.1 that keeps every request it gets and answers each with one status
 * and no body: the stand-in for a broker, a sink or a collector that a function under test sends to.
 */
public final class RecordingEndpoint implements AutoCloseable {

    /** One request: its path, its headers (lower-case names, first value each) and its body's bytes. */
    public record Request(String path, Map<String, String> headers, byte[] bytes) {
        /** The body as UTF-8 text. */
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Request> received;

    private RecordingEndpoint(HttpServer server, List<Request> received) {
        this.server = server;
        this.received = received;
    }

    /** Starts one that answers {@code status} and adds what it gets to {@code into}, oldest first. */
    public static RecordingEndpoint start(int status, List<Request> into) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            into.add(new Request(exchange.getRequestURI().getPath(), headers, exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return new RecordingEndpoint(server, into);
    }

    /** Starts one that answers {@code status} and keeps what it gets in {@link #received()}. */
    public static RecordingEndpoint start(int status) {
        return start(status, new CopyOnWriteArrayList<>());
    }

    /** What it got so far, oldest first. */
    public List<Request> received() {
        return received;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
