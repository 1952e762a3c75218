package dev.quiver.agent.function.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The agent's messaging, under {@code quiver.agent.messaging}: the door, the dead-letter topic and the Kafka courier.
 * With Kafka, the brokers are {@code kafka.bootstrap.servers}.
 */
@ConfigMapping(prefix = "quiver.agent.messaging")
public interface KafkaDoorConfig {

    /** The connector of Kafka; any other connector is in-process. */
    String KAFKA = "smallrye-kafka";

    /**
     * The connector of the agent's channels: {@code quiver-memory} (in-process topics, the default) or
     * {@code smallrye-kafka}. Only with Kafka does the courier deliver and the dead-letter topic publish.
     */
    @WithDefault(InMemoryConnector.NAME)
    String connector();

    /** Records of one key are handled in order in one lane; the lanes run at once. */
    @WithDefault("16")
    int lanes();

    /** The most records handled at once; beyond it the door reads on only as records finish. */
    @WithDefault("256")
    int maxInFlight();

    /**
     * Tries to hand an answer to the outgoing channel. When all fail, the record is not acknowledged and the channel
     * stops, so that the record is read again (and answered from the message ledger) once the broker is back.
     */
    @WithDefault("3")
    int answerTries();

    /** Whether {@code config} puts the channels on Kafka. */
    static boolean kafka(KafkaDoorConfig config) {
        return KAFKA.equals(config.connector());
    }
}
