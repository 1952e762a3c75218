package dev.quiver.function.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class InvocationSpansTest {

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final InvocationSpans spans = new InvocationSpans();
    // scheduled exports an hour apart: only a flush exports within a test
    private final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(spans)
            .addSpanProcessor(BatchSpanProcessor.builder(exported).setScheduleDelay(Duration.ofHours(1)).build())
            .build();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    private final Tracer tracer = sdk.getTracer("test");

    @AfterEach
    void close() {
        sdk.close();
    }

    @Test
    void aFlushWaitsForTheServerSpanEndedOnAnotherThreadAndExportsIt() {
        Span server = tracer.spanBuilder("POST /predict").setSpanKind(SpanKind.SERVER).startSpan();
        tracer.spanBuilder("quiver.predict").startSpan().end();
        CompletableFuture.runAsync(server::end, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));

        spans.flush(sdk);

        assertThat(exported.getFinishedSpanItems()).extracting(SpanData::getName)
                .containsExactlyInAnyOrder("quiver.predict", "POST /predict");
    }

    @Test
    void aServerSpanThatNeverEndsDelaysOneFlushOnly() {
        tracer.spanBuilder("GET /dropped").setSpanKind(SpanKind.SERVER).startSpan();

        long first = timed(() -> spans.flush(sdk));
        tracer.spanBuilder("quiver.predict").startSpan().end();
        long second = timed(() -> spans.flush(sdk));

        assertThat(first).isGreaterThanOrEqualTo(InvocationSpans.SPAN_END_WAIT_MS);
        assertThat(second).isLessThan(InvocationSpans.SPAN_END_WAIT_MS);
        assertThat(exported.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("quiver.predict");
    }

    private static long timed(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
