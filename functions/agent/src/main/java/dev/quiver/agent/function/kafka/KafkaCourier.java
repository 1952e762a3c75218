package dev.quiver.agent.function.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.agent.function.AgentConfig;
import dev.quiver.agent.function.ChannelCourier;
import dev.quiver.agent.outbox.Outgoing;
import dev.quiver.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Carries an envelope to an agent that reads a Kafka topic ({@code kafka:} in {@code config/agents.yaml}): one record
 * on {@value #CHANNEL} sent to that topic, keyed by the envelope's correlation id (so one exchange stays in order on
 * one partition), with the envelope as the JSON value and the headers {@code traceparent} and {@code quiver-action}
 * (also {@code ce_type}, as a CloudEvent in Kafka binary mode names it). Delivered when the broker acknowledges the
 * record within {@code quiver.agent.outbox.timeout}; otherwise the delivery fails and the outbox tries again. While
 * the channels are in-process every delivery fails, and the outbox keeps the envelope.
 */
@ApplicationScoped
public class KafkaCourier implements ChannelCourier {

    static final String CHANNEL = "agent-out";

    private final KafkaDoorConfig kafka;
    private final Duration timeout;
    private final Emitter<byte[]> emitter;

    public KafkaCourier(KafkaDoorConfig kafka, AgentConfig config, @Channel(CHANNEL) Emitter<byte[]> emitter) {
        this.kafka = kafka;
        this.timeout = config.outbox().timeout();
        this.emitter = emitter;
    }

    @Override
    public AgentDirectory.Channel channel() {
        return AgentDirectory.Channel.KAFKA;
    }

    @Override
    public CompletionStage<Void> deliver(Outgoing message, AgentDirectory.Agent recipient) {
        if (!KafkaDoorConfig.kafka(kafka)) {
            return CompletableFuture.failedFuture(new IllegalStateException("the agent's channels are in-process"
                    + " (quiver.agent.messaging.connector is not smallrye-kafka): topic " + recipient.kafka()
                    + " cannot be reached"));
        }
        JsonNode envelope;
        try {
            envelope = Json.MAPPER.readTree(message.body());
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        String action = text(envelope, "action");
        String key = text(envelope, "correlation_id") != null ? text(envelope, "correlation_id")
                : text(envelope, "message_id");
        Map<String, String> headers = new HashMap<>();
        headers.put("traceparent", message.traceparent());
        headers.put("quiver-action", action);
        headers.put("ce_type", action);
        headers.put("ce_id", text(envelope, "message_id"));
        return KafkaSend.send(emitter, recipient.kafka(), key, message.body().getBytes(StandardCharsets.UTF_8), headers)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
