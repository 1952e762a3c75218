package dev.quiver.function.tracing;

import dev.quiver.error.QuiverException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpansTest {

    private static final AttributeKey<Long> ROWS = AttributeKey.longKey("rows");

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    private final Tracer tracer = provider.get("test");

    @AfterEach
    void close() {
        provider.close();
    }

    private static void rows(Span span, Integer n) {
        span.setAttribute(ROWS, n.longValue());
    }

    private SpanData only() {
        List<SpanData> spans = exported.getFinishedSpanItems();
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }

    @Test
    void anAsyncCallIsCurrentWhileItStartsAndItsSpanEndsWhenTheStageCompletes() {
        CompletableFuture<Integer> later = new CompletableFuture<>();
        Span[] current = new Span[1];

        CompletionStage<Integer> stage = Spans.runAsync(tracer, "fetch", () -> {
            current[0] = Span.current();
            return later;
        }, SpansTest::rows);

        assertThat(exported.getFinishedSpanItems()).isEmpty();
        later.complete(7);
        assertThat(stage.toCompletableFuture().join()).isEqualTo(7);
        SpanData span = only();
        assertThat(span.getName()).isEqualTo("fetch");
        assertThat(span.getSpanContext()).isEqualTo(current[0].getSpanContext());
        assertThat(span.getAttributes().get(ROWS)).isEqualTo(7L);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void aStageFailedWithAnErrorStillEndsTheSpanAsAnError() {
        CompletableFuture<Integer> later = new CompletableFuture<>();
        CompletionStage<Integer> stage = Spans.runAsync(tracer, "fetch", () -> later, SpansTest::rows);

        later.completeExceptionally(new OutOfMemoryError("no room"));

        assertThat(stage.toCompletableFuture()).isCompletedExceptionally();
        SpanData span = only();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).contains("no room");
        assertThat(span.getAttributes().get(ROWS)).isNull();
    }

    @Test
    void aStageFailedWithACoreErrorEndsTheSpanWithItsMessage() {
        CompletionStage<Integer> stage = Spans.runAsync(tracer, "fetch",
                () -> CompletableFuture.failedFuture(QuiverException.unavailable("redis is down")), SpansTest::rows);

        assertThat(stage.toCompletableFuture()).isCompletedExceptionally();
        assertThat(only().getStatus().getDescription()).contains("redis is down");
    }

    @Test
    void aCallThatThrowsBeforeGivingAStageEndsTheSpanAndThrows() {
        assertThatThrownBy(() -> Spans.runAsync(tracer, "fetch",
                () -> { throw QuiverException.badInput("entities", "must not be empty"); }, SpansTest::rows))
                .isInstanceOf(QuiverException.class);

        assertThat(only().getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void aBlockingCallEndsItsSpanWithTheResultsAttributes() {
        assertThat(Spans.run(tracer, "fetch", () -> 3, SpansTest::rows)).isEqualTo(3);

        assertThat(only().getAttributes().get(ROWS)).isEqualTo(3L);
    }

    @Test
    void aCallUnderARequestSpanDescribesItAndStartsNoSpanOfItsOwn() {
        Span request = tracer.spanBuilder("POST /predict").startSpan();
        CompletableFuture<Integer> later = new CompletableFuture<>();
        CompletionStage<Integer> stage;
        try (Scope ignored = request.makeCurrent()) {
            stage = Spans.describingAsync(tracer, "predict", () -> later, SpansTest::rows);
        }
        later.complete(5);
        stage.toCompletableFuture().join();
        request.end();

        SpanData span = only();
        assertThat(span.getName()).isEqualTo("POST /predict");
        assertThat(span.getAttributes().get(ROWS)).isEqualTo(5L);
    }

    @Test
    void aRefusedCallNamesItsReasonOnTheRequestSpanAndLeavesItsStatusToTheDoor() {
        Span request = tracer.spanBuilder("POST /predict").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            assertThatThrownBy(() -> Spans.describing(tracer, "predict",
                    () -> { throw QuiverException.badInput("rows", "must not be empty"); }, SpansTest::rows))
                    .isInstanceOf(QuiverException.class);
        }
        request.end();

        SpanData span = only();
        assertThat(span.getAttributes().get(AttributeKey.stringKey(Spans.ERROR))).contains("rows");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(span.getAttributes().get(ROWS)).isNull();
    }

    @Test
    void aCallWithoutARequestSpanRunsInASpanOfItsOwnUnderTheTraceItCameIn() {
        assertThat(Spans.describing(tracer, "predict", () -> {
            assertThat(Span.current().getSpanContext().isValid()).as("its own span, current while it runs").isTrue();
            return 2;
        }, SpansTest::rows)).isEqualTo(2);
        assertThat(only().getName()).isEqualTo("predict");
        assertThat(only().getAttributes().get(ROWS)).isEqualTo(2L);

        exported.reset();
        Spans.Described described = Spans.describedIn(tracer, "predict", Context.root());
        assertThat(described.own()).isTrue();
        assertThat(Span.fromContext(described.context())).isSameAs(described.span());
        described.finish(null, QuiverException.unavailable("redis is down"), SpansTest::rows);
        assertThat(only().getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }
}
