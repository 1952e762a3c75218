package dev.quiver.agent.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.agent.delivery.ArtifactStores;
import dev.quiver.agent.delivery.Fetched;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads delivered models from {@code file:} and {@code http(s):} stores: the model file the URI names, and beside it
 * {@code descriptor.json} (when the message carries none) and {@code reference-profile.json} (when the store has one).
 * Only ever called with a URI inside an allowed store.
 */
final class StoreFetcher implements ArtifactStores {

    private static final String FIELD = "artifact.uri";

    private final HttpClient http;
    private final Duration timeout;

    StoreFetcher(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public CompletionStage<Fetched> fetch(URI model, boolean needsDescriptor) {
        URI descriptor = model.resolve("descriptor.json");
        URI reference = model.resolve("reference-profile.json");
        return read(model, true).thenCompose(bytes -> read(descriptor, needsDescriptor)
                .thenCompose(d -> read(reference, false).thenApply(r -> new Fetched(bytes,
                        d == null ? null : descriptor(d, descriptor), r))));
    }

    private static ObjectNode descriptor(byte[] bytes, URI at) {
        try {
            JsonNode n = Json.MAPPER.readTree(bytes);
            if (n instanceof ObjectNode o) {
                return o;
            }
        } catch (IOException e) {
            // named below
        }
        throw QuiverException.badInput(FIELD, at + " is not a JSON descriptor");
    }

    /** The bytes at {@code uri}; null for an optional file that is not there. */
    private CompletionStage<byte[]> read(URI uri, boolean required) {
        String scheme = uri.getScheme();
        if ("file".equals(scheme)) {
            try {
                return CompletableFuture.completedStage(Files.readAllBytes(Path.of(uri)));
            } catch (NoSuchFileException e) {
                return missing(uri, required);
            } catch (IOException e) {
                return CompletableFuture.failedStage(QuiverException.unavailable("cannot read " + uri + ": "
                        + e.getMessage()));
            }
        }
        if ("http".equals(scheme) || "https".equals(scheme)) {
            return http.sendAsync(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray()).handle((r, failure) -> {
                        if (failure != null) {
                            throw QuiverException.unavailable("cannot fetch " + uri + ": " + failure.getMessage());
                        }
                        if (r.statusCode() == 200) {
                            return CompletableFuture.completedStage(r.body());
                        }
                        if (r.statusCode() == 404) {
                            return this.<byte[]>missing(uri, required).toCompletableFuture();
                        }
                        throw QuiverException.unavailable(uri + " answered HTTP " + r.statusCode());
                    }).thenCompose(s -> s);
        }
        return CompletableFuture.failedStage(QuiverException.badInput(FIELD, "Quiver reads models from file: and"
                + " http(s): stores; " + uri + " is neither"));
    }

    private <T> CompletionStage<T> missing(URI uri, boolean required) {
        return required ? CompletableFuture.failedStage(QuiverException.badInput(FIELD, uri + " is not there"))
                : CompletableFuture.completedStage(null);
    }
}
