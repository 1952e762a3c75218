package dev.quiver.alert;

import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Severity;
import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.error.QuiverException;
import dev.quiver.testing.FeatureFixtures;
import dev.quiver.testing.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AlertAddressTest {

    private static final Instant DETECTED = Instant.parse("2026-11-28T03:10:00Z");

    @TempDir
    Path dir;

    @Test
    void theRepositoryDirectoryAddressesAlertsToItsProjectManagerFromQuiver() {
        AlertAddress a = AlertAddress.of(
                AgentDirectory.read(FeatureFixtures.repositoryRoot().resolve("config/agents.yaml")), "fallback");

        assertThat(a).isEqualTo(new AlertAddress("project_manager_id", "quiver_ml_engineer"));
    }

    @Test
    void withNoDirectoryOrNoProjectManagerTheFallbackIsTheRecipient() throws IOException {
        assertThat(AlertAddress.of(AgentDirectory.read(dir.resolve("absent.yaml")), "pm-7"))
                .isEqualTo(new AlertAddress("pm-7", null));
        Path file = dir.resolve("agents.yaml");
        Files.writeString(file, """
                self: {id: quiver}
                roles: {data_scientist: ds}
                agents:
                  ds: {a2a: https://ds.example.com/a2a}
                """);
        assertThat(AlertAddress.of(AgentDirectory.read(file), "pm-7")).isEqualTo(new AlertAddress("pm-7", "quiver"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "recipient", () -> new AlertAddress(" ", null));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "recipient", () -> new AlertAddress("project manager", null));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "sender", () -> new AlertAddress("pm", ""));
    }

    @Test
    void anAlertIsTheTeamsEnvelopeWithTheVersionFirstInItsDetails() {
        IssueAlert a = CheckedAlerts.valid(new AlertAddress("pm", "quiver").alert(Severity.CRITICAL, "churn", "2",
                "Something broke", DETECTED, "Rolled back churn version 2: traffic is back on version 1",
                Map.of("step", 1), "incident-1"));

        assertThat(a.header().recipient()).isEqualTo("pm");
        assertThat(a.header().sender()).isEqualTo("quiver");
        assertThat(a.header().correlationId()).isEqualTo("incident-1");
        assertThat(a.header().sentAt()).isEqualTo(DETECTED);
        assertThat(a.issue().details().toString()).isEqualTo("{\"version\":\"2\",\"step\":1}");
        assertThat(new AlertAddress("pm", null).alert(Severity.LOW, "churn", "2", "x", DETECTED, "y", Map.of(), "c")
                .header().messageId()).isNotEqualTo(a.header().messageId());
    }
}
