package dev.quiver.function.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.jboss.logging.Logger;

import java.util.concurrent.TimeUnit;

/**
 * Exports an invocation's spans before a Lambda invocation returns. Lambda freezes the execution environment once the
 * runtime has posted the answer and asked for the next event, so a batch span processor's scheduled export (every
 * 5 s) would send an invocation's spans only when a later invocation thaws the environment, or never.
 *
 * <p>As a span processor it counts the server spans begun and not yet ended: Vert.x ends the HTTP server span on its
 * event loop just after it has written the response that the Lambda handler, on another thread, is waiting for, so
 * {@link #flush} first waits for that span and then has every processor export what it holds. The Lambda builds
 * register it (their doors call {@link #flush} after each invocation); the other builds do not pay for the count.
 */
public final class InvocationSpans implements SpanProcessor {

    private static final Logger LOG = Logger.getLogger(InvocationSpans.class);

    /** The most an invocation waits for its server span to end: it ends microseconds after the response is written. */
    static final long SPAN_END_WAIT_MS = 200;
    /**
     * The most an invocation waits for the export: a collector that does not answer costs each invocation this much,
     * and its spans are dropped as the batch processor drops them when its export times out.
     */
    static final long EXPORT_WAIT_MS = 2_000;

    private final Object lock = new Object();
    private int openServerSpans;

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        if (span.getKind() == SpanKind.SERVER) {
            synchronized (lock) {
                openServerSpans++;
            }
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        if (span.getKind() == SpanKind.SERVER) {
            synchronized (lock) {
                // a span that ends after its wait gave up on it was already forgotten
                if (openServerSpans > 0 && --openServerSpans == 0) {
                    lock.notifyAll();
                }
            }
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    /**
     * Waits for the invocation's server spans to end, then exports every span the SDK of {@code telemetry} holds and
     * waits for the export, each within its bound. A build whose tracing is off, or that has no exporter, returns at
     * once.
     */
    public void flush(OpenTelemetry telemetry) {
        if (!(telemetry instanceof OpenTelemetrySdk sdk)) {
            return;
        }
        try {
            awaitServerSpansEnded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        CompletableResultCode done = sdk.getSdkTracerProvider().forceFlush().join(EXPORT_WAIT_MS, TimeUnit.MILLISECONDS);
        if (!done.isSuccess()) {
            LOG.debugf("the invocation's spans were not exported within %d ms", EXPORT_WAIT_MS);
        }
    }

    private void awaitServerSpansEnded() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SPAN_END_WAIT_MS);
        synchronized (lock) {
            while (openServerSpans > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    // a server span that never ends (a request that was dropped) must not make every later
                    // invocation wait too: forget the open ones, since Lambda runs one invocation at a time
                    LOG.debugf("%d server spans did not end within %d ms", openServerSpans, SPAN_END_WAIT_MS);
                    openServerSpans = 0;
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }
}
