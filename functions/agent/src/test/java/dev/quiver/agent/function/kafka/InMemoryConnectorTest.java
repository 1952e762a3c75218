package dev.quiver.agent.function.kafka;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.mutiny.Multi;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-process topics the agent's channels use without Kafka. */
class InMemoryConnectorTest {

    private static Config channel(String name, String topic) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(
                Map.of("channel-name", name, "topic", topic), "test", 100)).build();
    }

    @SuppressWarnings("unchecked")
    private static void send(InMemoryConnector connector, Config config, List<Message<String>> messages) {
        Multi.createFrom().iterable(messages)
                .subscribe((Flow.Subscriber<Message<String>>) (Flow.Subscriber<?>) connector.getSubscriber(config));
    }

    @Test
    void whatAnOutgoingChannelSendsReachesTheIncomingChannelOfTheSameTopicAndIsAcknowledged() {
        InMemoryConnector connector = new InMemoryConnector();
        List<Object> read = new CopyOnWriteArrayList<>();
        Multi.createFrom().publisher(connector.getPublisher(channel("agent-in", "quiver.agent.in")))
                .subscribe().with(m -> read.add(m.getPayload()));
        AtomicInteger acked = new AtomicInteger();
        Message<String> m = Message.of("{}", () -> {
            acked.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });

        send(connector, channel("to-agent", "quiver.agent.in"), List.of(m));

        assertThat(read).containsExactly("{}");
        assertThat(acked).hasValue(1);
    }

    @Test
    void aTopicNobodyReadsAcknowledgesAndKeepsNothing() {
        InMemoryConnector connector = new InMemoryConnector();
        AtomicInteger acked = new AtomicInteger();
        Message<String> m = Message.of("answer", () -> {
            acked.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });

        send(connector, channel("agent-answers", "quiver.agent.answers"), List.of(m, m));

        assertThat(acked).hasValue(2);
        List<Object> late = new CopyOnWriteArrayList<>();
        Multi.createFrom().publisher(connector.getPublisher(channel("reader", "quiver.agent.answers")))
                .subscribe().with(x -> late.add(x.getPayload()));
        assertThat(late).isEmpty();
    }
}
