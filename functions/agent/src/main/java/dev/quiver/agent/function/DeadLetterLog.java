package dev.quiver.agent.function;

import dev.quiver.agent.inbox.DeadLetter;
import dev.quiver.agent.inbox.Inbox;
import dev.quiver.audit.JsonLinesFile;
import jakarta.enterprise.event.Event;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.List;

/**
 * The dead-letter channel of messages received: each is logged at WARN, kept in a JSON-lines file that survives a
 * restart ({@code GET /agent/dead-letters}), and fired as a CDI event for the messaging door, which publishes it to
 * its dead-letter topic.
 */
final class DeadLetterLog implements Inbox.DeadLetters, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeadLetterLog.class);

    private final JsonLinesFile<DeadLetter> file;
    private final Event<DeadLetter> event;

    DeadLetterLog(Path file, int keep, Event<DeadLetter> event) {
        this.file = new JsonLinesFile<>(file, DeadLetter.class, keep, LOG::warn);
        this.event = event;
    }

    @Override
    public void put(DeadLetter letter) {
        LOG.warnf("dead letter %s (%s): %s", letter.messageId(), letter.action(), letter.reason());
        file.append(letter);
        try {
            event.fireAsync(letter);
        } catch (RuntimeException e) {
            LOG.warnf("dead letter %s not published: %s", letter.messageId(), e.getMessage());
        }
    }

    List<DeadLetter> recent(int limit) {
        return file.recent(limit);
    }

    @Override
    public void close() {
        file.close();
    }
}
