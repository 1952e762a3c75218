package dev.quiver.agent.function.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quiver.agent.inbox.DeadLetter;
import dev.quiver.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The dead-letter topic: each message whose action failed on every try (the inbox's {@link DeadLetter} event), and
 * each record the Kafka door could not act on for a reason not the sender's, published on {@value #CHANNEL} as the
 * JSON of {@link DeadLetter} ({@code at}, {@code message_id}, {@code action}, {@code reason}, {@code message}) keyed by
 * the message id, with a {@code quiver-action: dead_letter} header. A letter that cannot be published is logged; it
 * is kept in the agent's dead-letter file either way.
 */
@ApplicationScoped
public class DeadLetterTopic {

    static final String CHANNEL = "agent-dead-letters";

    private static final Logger LOG = Logger.getLogger(DeadLetterTopic.class);

    private final KafkaDoorConfig config;
    private final Emitter<byte[]> emitter;

    public DeadLetterTopic(KafkaDoorConfig config, @Channel(CHANNEL) Emitter<byte[]> emitter) {
        this.config = config;
        this.emitter = emitter;
    }

    void onDeadLetter(@ObservesAsync DeadLetter letter) {
        publish(letter, null);
    }

    /** Publishes {@code letter} with {@code traceparent} (null: none); completes when the broker has it. */
    CompletionStage<Void> publish(DeadLetter letter, String traceparent) {
        if (!KafkaDoorConfig.kafka(config)) {
            return CompletableFuture.completedFuture(null);
        }
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsString(letter).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            LOG.warnf("dead letter %s not published: %s", letter.messageId(), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        return KafkaSend.send(emitter, null, letter.messageId(), body,
                        traceparent == null ? Map.of("quiver-action", "dead_letter")
                                : Map.of("quiver-action", "dead_letter", "traceparent", traceparent))
                .exceptionally(e -> {
                    LOG.warnf("dead letter %s not published: %s", letter.messageId(), e.getMessage());
                    return null;
                });
    }
}
