package dev.quiver.agent.function.kafka;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.connector.OutboundConnector;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;

/**
 * The agent's channels when Kafka is not used ({@code quiver.agent.messaging.connector=quiver-memory}, the default):
 * in-process topics named by each channel's {@code topic}. What an outgoing channel sends is passed to the incoming
 * channels reading the same topic at that moment and acknowledged; with none reading, it is acknowledged and gone,
 * as on a topic nobody reads. Nothing is kept and no client connects anywhere, so the function starts and runs
 * without a broker; its Kafka courier refuses deliveries while this connector is in use (see {@link KafkaCourier}).
 */
@ApplicationScoped
@Connector(InMemoryConnector.NAME)
public class InMemoryConnector implements InboundConnector, OutboundConnector {

    static final String NAME = "quiver-memory";

    private final Map<String, Flow.Processor<Message<?>, Message<?>>> topics = new ConcurrentHashMap<>();

    private Flow.Processor<Message<?>, Message<?>> topic(Config config) {
        String name = config.getOptionalValue("topic", String.class)
                .orElseGet(() -> config.getValue("channel-name", String.class));
        return topics.computeIfAbsent(name, n -> BroadcastProcessor.<Message<?>>create().serialized());
    }

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config config) {
        return Multi.createFrom().publisher(topic(config));
    }

    @Override
    public Flow.Subscriber<? extends Message<?>> getSubscriber(Config config) {
        Flow.Processor<Message<?>, Message<?>> topic = topic(config);
        return new Flow.Subscriber<Message<?>>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Message<?> message) {
                topic.onNext(message);
                message.ack();
            }

            @Override
            public void onError(Throwable failure) {
                // an outgoing channel that fails has nothing more to pass on
            }

            @Override
            public void onComplete() {
                // the topic stays open for other channels
            }
        };
    }
}
