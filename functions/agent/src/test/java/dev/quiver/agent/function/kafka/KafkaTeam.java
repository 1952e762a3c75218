package dev.quiver.agent.function.kafka;

import dev.quiver.agent.function.Team;
import dev.quiver.testing.kafka.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * The agent's team ({@link Team}: the data engineer reads the topic {@code quiver.team.data-engineer}) with a real
 * Kafka broker in the test JVM, and the agent's messaging channels attached to it.
 */
public class KafkaTeam implements QuarkusTestResourceLifecycleManager {

    /** What the test's own clients connect to. */
    static volatile String bootstrapServers;

    private final Team team = new Team();
    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.start();
        bootstrapServers = broker.bootstrapServers();
        Map<String, String> config = new HashMap<>(team.start());
        config.put("kafka.bootstrap.servers", bootstrapServers);
        config.put("quiver.agent.messaging.connector", "smallrye-kafka");
        return config;
    }

    @Override
    public void stop() {
        try {
            team.stop();
        } finally {
            broker.close();
        }
    }
}
