package dev.quiver.predict.inference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DjlTelemetryTest {

    private final String before = System.getProperty(DjlTelemetry.OPT_OUT);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(DjlTelemetry.OPT_OUT);
        } else {
            System.setProperty(DjlTelemetry.OPT_OUT, before);
        }
    }

    @Test
    void djlIsOptedOutUnlessTheProcessSaysOtherwise() {
        System.clearProperty(DjlTelemetry.OPT_OUT);
        DjlTelemetry.optOut();
        assertThat(System.getProperty(DjlTelemetry.OPT_OUT)).isEqualTo("true");

        System.setProperty(DjlTelemetry.OPT_OUT, "false");
        DjlTelemetry.optOut();
        assertThat(System.getProperty(DjlTelemetry.OPT_OUT)).isEqualTo("false");
    }
}
