package dev.quiver.agent.function;

import dev.quiver.agent.inbox.DeadLetter;
import dev.quiver.agent.inbox.Inbox;
import dev.quiver.audit.RecentLog;
import jakarta.enterprise.event.Event;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * The dead-letter channel of messages received: each is logged at WARN, kept in a log that survives a restart (a
 * JSON-lines file, or Redis; {@code GET /agent/dead-letters}), and fired as a CDI event for the messaging door, which publishes it to
 * its dead-letter topic.
 */
final class DeadLetterLog implements Inbox.DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetterLog.class);

    private final RecentLog<DeadLetter> log;
    private final Event<DeadLetter> event;

    DeadLetterLog(RecentLog<DeadLetter> log, Event<DeadLetter> event) {
        this.log = log;
        this.event = event;
    }

    @Override
    public void put(DeadLetter letter) {
        LOG.warnf("dead letter %s (%s): %s", letter.messageId(), letter.action(), letter.reason());
        log.append(letter);
        try {
            event.fireAsync(letter);
        } catch (RuntimeException e) {
            LOG.warnf("dead letter %s not published: %s", letter.messageId(), e.getMessage());
        }
    }

    List<DeadLetter> recent(int limit) {
        return log.recent(limit);
    }
}
