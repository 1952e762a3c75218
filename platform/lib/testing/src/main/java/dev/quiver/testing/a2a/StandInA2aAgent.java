package dev.quiver.testing.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * One of the team's agents, played in a test: an A2A server on a free loopback port that answers JSON-RPC
 * {@code message/send} at {@link #url()} and serves its agent card at {@code /.well-known/agent-card.json} below it.
 * Written by hand from the A2A 0.3 specification, without an A2A SDK, so that a client talking to it shows it speaks
 * A2A as another implementation reads it.
 *
 * <p>Each {@code message/send} is recorded ({@link #received()}) with its metadata, headers and the envelope its
 * first data part holds (or the JSON of its first text part). The {@link #handler handler} decides the reply: the
 * envelope it returns is answered as an agent {@link Received Message} with one data part; null answers a text
 * message {@code "received"}; a handler that throws answers a JSON-RPC internal error (-32603) with its message. The
 * default handler acknowledges each envelope ({@code action: acknowledgement}, {@code outcome.status: done}). Any other
 * method is answered -32601. Safe from any thread; {@link #close()} stops the server.
 */
public final class StandInA2aAgent implements AutoCloseable {

    /**
     * One {@code message/send} the agent received.
     *
     * @param request  the whole JSON-RPC request
     * @param message  {@code params.message}
     * @param metadata {@code params.message.metadata}, an empty object when absent
     * @param envelope the envelope the message carries (its first data part's data, or its first text part read as
     *                 JSON); null when it carries none
     * @param headers  the HTTP headers, names in lower case
     */
    public record Received(JsonNode request, JsonNode message, JsonNode metadata, JsonNode envelope,
                           Map<String, String> headers) {

        /** The W3C trace context in the message metadata, or null. */
        public String traceparent() {
            JsonNode t = metadata.get("traceparent");
            return t == null || t.isNull() ? null : t.asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String id;
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, JsonNode> handler;

    /** Starts the agent {@code id} (the sender of its acknowledgements and its card's name) on a free loopback port. */
    public StandInA2aAgent(String id) {
        this.id = id;
        this.handler = this::acknowledge;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::serve);
        server.start();
    }

    /** The agent's A2A endpoint, as the agent directory's {@code a2a:} names it. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Decides the reply to each message from now on; see the class comment. */
    public StandInA2aAgent handler(Function<Received, JsonNode> handler) {
        this.handler = handler == null ? this::acknowledge : handler;
        return this;
    }

    /** The messages received, oldest first. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Forgets the messages received and goes back to the default handler. */
    public void reset() {
        received.clear();
        handler = this::acknowledge;
    }

    /** The default reply: an acknowledgement of the envelope, done. */
    public JsonNode acknowledge(Received r) {
        ObjectNode ack = JSON.createObjectNode().put("action", "acknowledgement").put("sender", id)
                .put("message_id", UUID.randomUUID().toString()).put("sent_at", Instant.now().toString());
        if (r.envelope() != null && r.envelope().hasNonNull("sender")) {
            ack.put("recipient", r.envelope().get("sender").asText());
        }
        if (r.envelope() != null && r.envelope().hasNonNull("message_id")) {
            ack.put("in_reply_to", r.envelope().get("message_id").asText());
        }
        if (r.envelope() != null && r.envelope().hasNonNull("correlation_id")) {
            ack.put("correlation_id", r.envelope().get("correlation_id").asText());
        }
        ack.putObject("outcome").put("status", "done").put("summary", id + " received it");
        return ack;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("GET") && path.equals("/.well-known/agent-card.json")) {
                send(exchange, 200, card());
            } else if (exchange.getRequestMethod().equals("POST") && path.equals("/")) {
                send(exchange, 200, call(exchange));
            } else {
                send(exchange, 404, JSON.createObjectNode().put("detail", "no " + path));
            }
        }
    }

    private JsonNode call(HttpExchange exchange) throws IOException {
        JsonNode request;
        try {
            request = JSON.readTree(exchange.getRequestBody());
        } catch (IOException e) {
            return error(null, -32700, "Invalid JSON payload");
        }
        JsonNode rpcId = request.get("id");
        if (!"message/send".equals(request.path("method").asText())) {
            return error(rpcId, -32601, "Method not found: " + request.path("method").asText());
        }
        JsonNode message = request.path("params").path("message");
        if (!message.isObject()) {
            return error(rpcId, -32602, "params.message is required");
        }
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
        JsonNode metadata = message.path("metadata").isObject() ? message.get("metadata") : JSON.createObjectNode();
        Received r = new Received(request, message, metadata, envelope(message.path("parts")), headers);
        received.add(r);
        JsonNode reply;
        try {
            reply = handler.apply(r);
        } catch (RuntimeException e) {
            return error(rpcId, -32603, String.valueOf(e.getMessage()));
        }
        ObjectNode answer = JSON.createObjectNode().put("kind", "message").put("role", "agent")
                .put("messageId", UUID.randomUUID().toString());
        if (message.hasNonNull("contextId")) {
            answer.set("contextId", message.get("contextId"));
        }
        ArrayNode parts = answer.putArray("parts");
        if (reply == null) {
            parts.addObject().put("kind", "text").put("text", "received");
        } else {
            parts.addObject().put("kind", "data").set("data", reply);
        }
        ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
        response.set("id", rpcId);
        response.set("result", answer);
        return response;
    }

    private static JsonNode envelope(JsonNode parts) {
        for (JsonNode p : parts) {
            if ("data".equals(p.path("kind").asText()) && p.path("data").isObject()) {
                return p.get("data");
            }
        }
        for (JsonNode p : parts) {
            if ("text".equals(p.path("kind").asText())) {
                try {
                    JsonNode j = JSON.readTree(p.path("text").asText());
                    if (j != null && j.isObject()) {
                        return j;
                    }
                } catch (IOException e) {
                    // plain text, not an envelope
                }
            }
        }
        return null;
    }

    private JsonNode card() {
        ObjectNode card = JSON.createObjectNode().put("protocolVersion", "0.3.0").put("name", id)
                .put("description", "A stand-in for " + id + " in tests").put("url", url()).put("version", "0")
                .put("preferredTransport", "JSONRPC");
        card.putObject("capabilities").put("streaming", false).put("pushNotifications", false);
        card.putArray("defaultInputModes").add("application/json");
        card.putArray("defaultOutputModes").add("application/json");
        card.putArray("skills").addObject().put("id", "envelope").put("name", "envelope")
                .put("description", "Takes the team's envelopes").putArray("tags").add("team");
        return card;
    }

    private static ObjectNode error(JsonNode rpcId, int code, String message) {
        ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
        response.set("id", rpcId);
        response.putObject("error").put("code", code).put("message", message);
        return response;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
