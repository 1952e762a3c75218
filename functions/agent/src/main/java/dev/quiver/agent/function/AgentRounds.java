package dev.quiver.agent.function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.agent.inbox.Inbox;
import dev.quiver.agent.outbox.Outbox;
import dev.quiver.error.Stages;
import dev.quiver.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The agent's background work done on demand, for where its timers do not run (an instance scaled to zero on
 * Knative, a frozen one on Lambda): a schedule's tick delivers the outbox's due messages and watches the rollouts that
 * delivered models started.
 */
@ApplicationScoped
public class AgentRounds {

    private static final Logger LOG = Logger.getLogger(AgentRounds.class);

    private final Outbox outbox;
    private final Inbox inbox;

    public AgentRounds(Outbox outbox, Inbox inbox) {
        this.outbox = outbox;
        this.inbox = inbox;
    }

    /** One outbox round and one look at the watched rollouts: {@code {delivered, retried, dead_lettered, rollouts_ended}}. */
    public ObjectNode tick() {
        Outbox.Round round = deliverDue();
        int ended = Stages.join(inbox.checkRollouts());
        ObjectNode done = Json.MAPPER.createObjectNode();
        done.put("delivered", round.delivered()).put("retried", round.retried())
                .put("dead_lettered", round.deadLettered()).put("rollouts_ended", ended);
        return done;
    }

    /** One outbox round; its failure (the store unreachable) is logged, as a timer's round logs it. */
    public Outbox.Round deliverDue() {
        try {
            Outbox.Round round = Stages.join(outbox.deliverDue());
            if (round.retried() + round.deadLettered() > 0) {
                LOG.infof("outbox: %d delivered, %d to retry, %d dead-lettered", round.delivered(), round.retried(),
                        round.deadLettered());
            }
            return round;
        } catch (RuntimeException e) {
            LOG.warnf("outbox round failed: %s", e.getMessage());
            return new Outbox.Round(0, 0, 0);
        }
    }
}
