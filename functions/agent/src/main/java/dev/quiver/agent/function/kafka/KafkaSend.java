package dev.quiver.agent.function.kafka;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One record handed to an outgoing channel, acknowledged when the broker has it. */
final class KafkaSend {

    private KafkaSend() {
    }

    /**
     * Sends {@code body} keyed by {@code key} with {@code headers} (null values left out) to {@code topic}, or to the
     * channel's own topic when {@code topic} is null. The stage completes when the broker acknowledges the record,
     * and fails when it refuses it or the emitter cannot take it.
     */
    static CompletableFuture<Void> send(Emitter<byte[]> emitter, String topic, String key, byte[] body,
                                        Map<String, String> headers) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        RecordHeaders h = new RecordHeaders();
        headers.forEach((k, v) -> {
            if (v != null) {
                h.add(k, v.getBytes(StandardCharsets.UTF_8));
            }
        });
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> meta =
                OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(h);
        if (topic != null) {
            meta.withTopic(topic);
        }
        try {
            emitter.send(Message.of(body, Metadata.of(meta.build()), () -> {
                acked.complete(null);
                return CompletableFuture.completedFuture(null);
            }, failure -> {
                acked.completeExceptionally(failure);
                return CompletableFuture.completedFuture(null);
            }));
        } catch (RuntimeException e) {
            // the emitter's buffer is full or its channel has failed
            acked.completeExceptionally(e);
        }
        return acked;
    }
}
