package dev.quiver.agent.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.agent.delivery.Candidates;
import dev.quiver.agent.delivery.Fetched;
import dev.quiver.agent.incident.RolloutControl;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;
import dev.quiver.wiring.team.Traceparents;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The predict function over HTTP, as the core's ports: its rollout API ({@code GET /rollouts/{model}},
 * {@code POST /rollouts/{model}/rollback}) for {@link RolloutControl}, and its candidate intake
 * ({@code POST /registry/models/{model}/candidates}) for {@link Candidates}. A connection failure or a 5xx is
 * UNAVAILABLE (the agent tries again); a 4xx carries the predict function's own words.
 */
final class PredictClient implements RolloutControl, Candidates {

    private final URI base;
    private final Optional<String> apiKey;
    /** Signs every call with SigV4 instead of the API key; null: not signed. */
    private final SigV4 signer;
    private final Duration timeout;
    private final HttpClient http;

    PredictClient(String url, Optional<String> apiKey, SigV4 signer, Duration timeout) {
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.apiKey = apiKey.filter(k -> !k.isBlank());
        if (signer != null && this.apiKey.isPresent()) {
            throw new IllegalArgumentException("quiver.agent.predict.api-key: a sigv4 call is signed with the"
                    + " function's AWS credentials; leave the API key unset");
        }
        this.signer = signer;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public CompletionStage<Optional<Running>> running(String model) {
        return latest(model).thenApply(s -> s.filter(r -> !r.finished())
                .map(r -> new Running(r.id(), r.championVersion(), r.challengerVersion())));
    }

    @Override
    public CompletionStage<Optional<Snapshot>> latest(String model) {
        return send("GET", "rollouts/" + path(model), null, null, null).<Optional<Snapshot>>thenApply(r -> {
            JsonNode state = r.path("rollout");
            if (!state.isObject()) {
                return Optional.empty();
            }
            return Optional.of(new Snapshot(state.path("id").asText(), state.path("champion_version").asText(),
                    state.path("challenger_version").asText(),
                    state.path("status").asText("").toLowerCase(java.util.Locale.ROOT)));
        }).exceptionally(failure -> {
            if (failure.getCause() instanceof QuiverException q && q.kind() == QuiverException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw failure instanceof RuntimeException e ? e : new IllegalStateException(failure);
        });
    }

    @Override
    public CompletionStage<Void> rollBack(String model, String by, String why) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("reason", why + " (reported by " + by + ")");
        return send("POST", "rollouts/" + path(model) + "/rollback", "application/json",
                body.toString().getBytes(StandardCharsets.UTF_8), null).thenApply(r -> null);
    }

    @Override
    public CompletionStage<Decision> offer(String model, Fetched artifact, String sha256, OptionalDouble p99Ms,
                                           OptionalDouble perSecond, String by, String correlationId,
                                           String traceparent) {
        Multipart form = new Multipart();
        form.file("model", "model.onnx", "application/octet-stream", artifact.model());
        form.field("descriptor", artifact.descriptor().toString());
        if (artifact.referenceProfile() != null) {
            form.file("reference_profile", "reference_profile.json", "application/json", artifact.referenceProfile());
        }
        form.field("sha256", sha256);
        p99Ms.ifPresent(v -> form.field("latency_p99_ms", Double.toString(v)));
        perSecond.ifPresent(v -> form.field("requests_per_second", Double.toString(v)));
        form.field("by", by);
        if (correlationId != null) {
            form.field("correlation_id", correlationId);
        }
        return send("POST", "registry/models/" + path(model) + "/candidates", form.contentType(), form.bytes(),
                traceparent).thenApply(r -> new Decision("accepted".equals(r.path("decision").asText()),
                        r.path("reason").isTextual() ? r.path("reason").asText() : null,
                        r.path("version").isTextual() ? r.path("version").asText() : null, (ObjectNode) r));
    }

    /**
     * Calls {@code method path} with {@code body} of {@code contentType} (null: none) under {@code traceparent} (null:
     * the current span's), authenticated by the API key or signed.
     */
    private CompletionStage<JsonNode> send(String method, String path, String contentType, byte[] body,
                                           String traceparent) {
        URI uri = base.resolve(path);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        Optional.ofNullable(traceparent).or(Traceparents::current).ifPresent(t -> headers.put("traceparent", t));
        apiKey.ifPresent(k -> headers.put("Authorization", "Bearer " + k));
        if (signer != null) {
            headers.putAll(signer.headers(method, uri, headers, body));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpRequest r = request.build();
        return http.sendAsync(r, HttpResponse.BodyHandlers.ofByteArray()).handle((response, failure) -> {
            if (failure != null) {
                throw QuiverException.unavailable("the predict function at " + base + " cannot be reached: "
                        + failure.getMessage());
            }
            JsonNode answer;
            try {
                answer = response.body().length == 0 ? Json.MAPPER.createObjectNode()
                        : Json.MAPPER.readTree(response.body());
            } catch (IOException e) {
                answer = Json.MAPPER.createObjectNode().put("detail", new String(response.body(),
                        StandardCharsets.UTF_8));
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                return answer;
            }
            String said = r.method() + " " + r.uri().getPath() + " answered " + status + ": "
                    + answer.path("detail").asText(answer.toString());
            if (status == 404) {
                throw QuiverException.notFound(null, said);
            }
            if (status == 409) {
                throw QuiverException.conflict(null, said);
            }
            if (status / 100 == 4) {
                throw QuiverException.rejected(null, said);
            }
            throw QuiverException.unavailable(said);
        });
    }

    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A multipart/form-data body. */
    private static final class Multipart {
        private final String boundary = "quiver-" + UUID.randomUUID();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void field(String name, String value) {
            part("Content-Disposition: form-data; name=\"" + name + "\"\r\nContent-Type: text/plain; charset=UTF-8",
                    value.getBytes(StandardCharsets.UTF_8));
        }

        void file(String name, String filename, String type, byte[] content) {
            part("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: " + type, content);
        }

        private void part(String headers, byte[] content) {
            out.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(content);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return all.toByteArray();
        }
    }
}
