package dev.quiver.testing.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaBrokerTest {

    @Test
    void aRecordProducedToANewTopicIsConsumedBackAndTheBrokerLeavesNothingBehind() throws Exception {
        String servers;
        try (KafkaBroker broker = KafkaBroker.start()) {
            servers = broker.bootstrapServers();
            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("team.pm", "m-1", "{\"action\":\"model_issue_alert\"}")).get();
            }
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            try (var consumer = new KafkaConsumer<String, String>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ConsumerConfig.GROUP_ID_CONFIG, "test",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("team.pm"));
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (read.isEmpty() && System.nanoTime() < until) {
                    consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                }
            }
            assertThat(read).hasSize(1);
            assertThat(read.get(0).key()).isEqualTo("m-1");
            assertThat(read.get(0).value()).isEqualTo("{\"action\":\"model_issue_alert\"}");
        }
        try (var producer = new KafkaProducer<String, String>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 500), new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("team.pm", "late")).get())
                    .as("a closed broker takes nothing").isNotNull();
        }
    }
}
