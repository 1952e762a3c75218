package dev.quiver.agent.function.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Plain Kafka clients for the tests: a producer of string records and a reader of one topic from its start. */
final class KafkaClients {

    private KafkaClients() {
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", 0, "acks", "all"),
                new StringSerializer(), new StringSerializer());
    }

    static void send(KafkaProducer<String, String> producer, String topic, String key, String value,
                     String traceparent) {
        ProducerRecord<String, String> r = new ProducerRecord<>(topic, key, value);
        if (traceparent != null) {
            r.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        }
        try {
            producer.send(r).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("not sent to " + topic, e);
        }
    }

    /** A topic read from its start by a group of its own; {@link #await} polls until a record matches. */
    static final class Reader implements AutoCloseable {

        final List<ConsumerRecord<String, String>> seen = new CopyOnWriteArrayList<>();
        private final KafkaConsumer<String, String> consumer;

        Reader(String bootstrap, String topic) {
            consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "group.id", "test-" + UUID.randomUUID(),
                    "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(List.of(topic));
        }

        /** The records that match, once at least {@code count} have arrived, polling up to 30 s. */
        List<ConsumerRecord<String, String>> await(Predicate<ConsumerRecord<String, String>> match, int count) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                List<ConsumerRecord<String, String>> found = seen.stream().filter(match).toList();
                if (found.size() >= count) {
                    return found;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no " + count + " matching records in 30 s; seen " + seen.size());
                }
                consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
