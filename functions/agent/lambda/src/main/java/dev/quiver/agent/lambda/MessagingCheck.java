package dev.quiver.agent.lambda;

import dev.quiver.agent.function.kafka.KafkaDoorConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Refuses to start this build with the agent's messaging on Kafka: its package leaves out the messaging door, the
 * Kafka courier and Kafka's client, so {@code quiver.agent.messaging.connector=smallrye-kafka} would otherwise be
 * ignored without a word.
 */
@ApplicationScoped
public class MessagingCheck {

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, KafkaDoorConfig config) {
        String problem = problem(config.connector());
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /** Why {@code connector} cannot be used in this build; null when it can. */
    static String problem(String connector) {
        if (!KafkaDoorConfig.KAFKA.equals(connector)) {
            return null;
        }
        return "quiver.agent.messaging.connector: this Lambda build has no Kafka door or courier (its doors are SQS"
                + " and EventBridge); run the agent's container image for Kafka, or unset"
                + " QUIVER_AGENT_MESSAGING_CONNECTOR";
    }
}
