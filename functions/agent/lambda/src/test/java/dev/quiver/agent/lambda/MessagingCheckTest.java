package dev.quiver.agent.lambda;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessagingCheckTest {

    @Test
    void kafkaIsRefusedNamingTheSetting() {
        assertThat(MessagingCheck.problem("smallrye-kafka"))
                .startsWith("quiver.agent.messaging.connector: ")
                .contains("no Kafka door");
    }

    @Test
    void inProcessChannelsAreAccepted() {
        assertThat(MessagingCheck.problem("quiver-memory")).isNull();
    }
}
