package dev.quiver.agent.function;

import dev.quiver.function.Daemons;
import dev.quiver.agent.inbox.Inbox;
import dev.quiver.agent.outbox.Outbox;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivers what is due in the outbox every {@code quiver.agent.outbox.every}, on a thread of its own, so that a
 * recipient that is down delays only its own messages (rounds never overlap: {@link Outbox#deliverDue}); and every
 * {@code quiver.agent.rollout-watch-every} looks at the rollouts delivered models started ({@link Inbox#checkRollouts}).
 */
@ApplicationScoped
public class OutboxTicker {

    private static final Logger LOG = Logger.getLogger(OutboxTicker.class);
    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent event, Outbox outbox, Inbox inbox, AgentConfig config) {
        timer = Daemons.scheduler("quiver-agent-outbox");
        long watch = config.rolloutWatchEvery().toMillis();
        if (watch > 0) {
            timer.scheduleWithFixedDelay(() -> {
                try {
                    inbox.checkRollouts();
                } catch (RuntimeException e) {
                    LOG.warnf("rollout watch failed: %s", e.getMessage());
                }
            }, watch, watch, TimeUnit.MILLISECONDS);
        }
        long every = config.outbox().every().toMillis();
        if (every <= 0) {
            return;
        }
        timer.scheduleWithFixedDelay(() -> {
            try {
                outbox.deliverDue().whenComplete((round, failure) -> {
                    if (failure != null) {
                        LOG.warnf("outbox round failed: %s", failure.getMessage());
                    } else if (round.retried() + round.deadLettered() > 0) {
                        LOG.infof("outbox: %d delivered, %d to retry, %d dead-lettered", round.delivered(),
                                round.retried(), round.deadLettered());
                    }
                });
            } catch (RuntimeException e) {
                LOG.warnf("outbox round failed: %s", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
