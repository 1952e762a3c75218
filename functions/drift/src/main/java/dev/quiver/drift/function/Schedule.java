package dev.quiver.drift.function;

import dev.quiver.function.Daemons;
import dev.quiver.drift.evaluation.DriftService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates the latest window of every model version with captured windows every {@code quiver.drift.every}
 * (0: never; on Lambda an EventBridge schedule calls the evaluate endpoint instead, and on Knative a PingSource).
 */
@ApplicationScoped
public class Schedule {

    private static final Logger LOG = Logger.getLogger(Schedule.class);
    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent event, DriftService service, DriftConfig config) {
        long every = config.drift().every().toMillis();
        if (every <= 0) {
            return;
        }
        timer = Daemons.scheduler("quiver-drift-schedule");
        timer.scheduleWithFixedDelay(() -> {
            try {
                DriftService.Sweep sweep = service.evaluateLatest();
                sweep.evaluations().forEach(e -> LOG.debugf("evaluated %s:%s window %s: %d alerts", e.report().model(),
                        e.report().version(), e.report().window(), e.alerts().size()));
                sweep.skipped().forEach(s -> LOG.infof("drift of %s:%s not evaluated: %s", s.model(), s.version(),
                        s.reason()));
            } catch (RuntimeException e) {
                LOG.warnf("drift evaluation failed: %s", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
