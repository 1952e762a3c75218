package dev.quiver.predict.drift;

import dev.quiver.function.Daemons;
import dev.quiver.drift.capture.Capture;
import dev.quiver.drift.capture.ProfileStore;
import dev.quiver.predict.config.PredictConfig;
import dev.quiver.predict.rollout.InstanceName;
import dev.quiver.prediction.PredictionService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns drift capture on: every prediction of the service goes into this instance's window profiles, which a
 * daemon thread saves to the profile store every {@code quiver.capture.flush} and once more at shutdown, and the
 * predictions kept for their labels every {@code quiver.capture.predictions-flush}.
 * Each flush is a {@code quiver.capture.flush} span. Counters at {@code /q/metrics}: {@code quiver_capture_rows_total}, {@code quiver_capture_dropped_rows_total},
 * {@code quiver_capture_flush_failures_total}.
 */
@ApplicationScoped
public class CaptureWiring {

    private static final Logger LOG = Logger.getLogger(CaptureWiring.class);

    private Capture capture;
    private ScheduledExecutorService flusher;
    private MeterRegistry registry;
    private final java.util.List<io.micrometer.core.instrument.Meter> counters = new java.util.ArrayList<>();

    void start(@Observes StartupEvent event, PredictionService service, PredictConfig config, ProfileStore store,
               MeterRegistry meters, io.opentelemetry.api.trace.Tracer tracer) {
        PredictConfig.Capture c = config.capture();
        if (!c.enabled()) {
            return;
        }
        capture = new Capture(store, Clock.systemUTC(), c.window(),
                InstanceName.get());
        service.captureTo(capture);
        registry = meters;
        counters.add(FunctionCounter.builder("quiver_capture_rows", capture, Capture::captured)
                .description("rows captured into drift profiles").register(meters));
        counters.add(FunctionCounter.builder("quiver_capture_dropped_rows", capture, Capture::dropped)
                .description("rows not captured because capture failed").register(meters));
        counters.add(FunctionCounter.builder("quiver_capture_unlogged_rows", capture, Capture::notLogged)
                .description("rows profiled but not kept for their labels (over the limit between two flushes)")
                .register(meters));
        counters.add(FunctionCounter.builder("quiver_capture_flush_failures", capture, Capture::flushFailures)
                .description("saves that failed (profiles are saved again at the next flush, kept predictions are not)")
                .register(meters));
        long every = c.flush().toMillis();
        long predictionsEvery = c.predictionsFlush().toMillis();
        if (predictionsEvery <= 0) {
            throw new IllegalArgumentException("quiver.capture.predictions-flush must be positive, was "
                    + c.predictionsFlush());
        }
        flusher = Daemons.scheduler("quiver-capture-flush");
        Capture flushed = capture;
        flusher.scheduleWithFixedDelay(() -> dev.quiver.function.tracing.Spans.run(tracer, "quiver.capture.flush", () -> {
            long failedBefore = flushed.flushFailures();
            flushed.flush();
            return flushed.flushFailures() - failedBefore;
        }, (span, failures) -> {
            span.setAttribute("quiver.capture.rows_total", flushed.captured());
            span.setAttribute("quiver.capture.flush_failures", failures);
        }), every, every, TimeUnit.MILLISECONDS);
        // the same thread as the profiles' flush, so that the two never drain a profile's log at once
        flusher.scheduleWithFixedDelay(flushed::flushPredictions, predictionsEvery, predictionsEvery,
                TimeUnit.MILLISECONDS);
        LOG.infof("capturing predictions for drift, windows of %s, saved every %s, predictions for their labels "
                + "every %s", c.window(), c.flush(), c.predictionsFlush());
    }

    void stop(@Observes ShutdownEvent event) {
        if (flusher != null) {
            flusher.shutdownNow();
            capture.flush();
        }
        // the registry may outlive this start (a restart in the same JVM, as tests do): a counter left in it would
        // keep reading this capture instead of the next start's, which registering the same name would return
        counters.forEach(registry::remove);
        counters.clear();
    }
}
