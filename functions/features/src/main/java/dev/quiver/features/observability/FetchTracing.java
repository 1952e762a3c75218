package dev.quiver.features.observability;

import dev.quiver.feature.FeatureDefinitions;
import dev.quiver.feature.FeatureRef;
import dev.quiver.feature.OnlineFeaturesRequest;
import dev.quiver.feature.OnlineFeaturesResponse;
import io.opentelemetry.api.common.AttributeKey;
import dev.quiver.function.tracing.Spans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The {@code quiver.features.fetch} span around one online read, current while the store is called so a Redis
 * round trip's own span is its child. Attributes: {@code quiver.store} (embedded, redis), {@code quiver.views}
 * (the views read, in the order asked) and {@code quiver.entities} (entity rows). A failed read ends the span
 * with status ERROR and the failure's message.
 */
@Singleton
public class FetchTracing {

    /** The span's name. */
    public static final String SPAN = "quiver.features.fetch";
    static final AttributeKey<String> STORE = AttributeKey.stringKey("quiver.store");
    static final AttributeKey<List<String>> VIEWS = AttributeKey.stringArrayKey("quiver.views");
    static final AttributeKey<Long> ENTITIES = AttributeKey.longKey("quiver.entities");

    private final Tracer tracer;
    private final FeatureDefinitions definitions;

    public FetchTracing(Tracer tracer, FeatureDefinitions definitions) {
        this.tracer = tracer;
        this.definitions = definitions;
    }

    /**
     * Starts {@code fetch} on {@code request} inside the span, which ends when the answer's stage completes; the
     * span is current while the fetch starts, so the store's round trip is its child.
     */
    public CompletionStage<OnlineFeaturesResponse> traced(
            String store, OnlineFeaturesRequest request,
            Function<OnlineFeaturesRequest, CompletionStage<OnlineFeaturesResponse>> fetch) {
        return Spans.runAsync(tracer, SPAN, () -> {
            Span.current().setAttribute(STORE, store);
            return fetch.apply(request);
        }, (span, response) -> describe(span, request, response));
    }

    private void describe(Span span, OnlineFeaturesRequest request, OnlineFeaturesResponse response) {
        span.setAttribute(VIEWS, views(request));
        span.setAttribute(ENTITIES, response.results().isEmpty() ? 0L : response.results().get(0).values().size());
    }

    /** The views a request read, known valid once the read succeeded. */
    private List<String> views(OnlineFeaturesRequest request) {
        Set<String> views = new LinkedHashSet<>();
        if (request.featureService() != null) {
            definitions.service(request.featureService(), "feature_service").forEach(r -> views.add(r.view()));
        } else {
            request.features().forEach(f -> views.add(FeatureRef.parse(f, "features").view()));
        }
        return new ArrayList<>(views);
    }
}
