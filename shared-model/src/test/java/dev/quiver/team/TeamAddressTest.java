package dev.quiver.team;

import dev.quiver.agent.DeploymentRequest;
import dev.quiver.agent.FeatureRequest;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Severity;
import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.agent.directory.AgentDirectory.Role;
import dev.quiver.error.QuiverException;
import dev.quiver.testing.FeatureFixtures;
import dev.quiver.testing.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TeamAddressTest {

    private static final Instant DETECTED = Instant.parse("2026-11-28T03:10:00Z");
    private static final TeamAddress FALLBACK = new TeamAddress("pm-7", "ds-7", "de-7", "quiver-7");
    private static final TeamAddress TEAM = new TeamAddress("pm", "ds", "de", "quiver");

    @TempDir
    Path dir;

    @Test
    void theRepositoryDirectoryAddressesEachRoleFromQuiver() {
        TeamAddress a = TeamAddress.of(
                AgentDirectory.read(FeatureFixtures.repositoryRoot().resolve("config/agents.yaml")), FALLBACK);

        assertThat(a).isEqualTo(new TeamAddress("project_manager_id", "data_scientist_id", "data_engineer_id",
                "quiver_ml_engineer"));
        assertThat(a.recipient(Role.DATA_ENGINEER)).isEqualTo("data_engineer_id");
    }

    @Test
    void aRoleTheDirectoryAssignsToNobodyGoesToTheFallback() throws IOException {
        assertThat(TeamAddress.of(AgentDirectory.read(dir.resolve("absent.yaml")), FALLBACK)).isEqualTo(FALLBACK);
        Path file = dir.resolve("agents.yaml");
        Files.writeString(file, """
                self: {id: quiver}
                roles: {data_scientist: ds}
                agents:
                  ds: {a2a: https://ds.example.com/a2a}
                """);
        assertThat(TeamAddress.of(AgentDirectory.read(file), FALLBACK))
                .isEqualTo(new TeamAddress("pm-7", "ds", "de-7", "quiver"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "project_manager", () -> new TeamAddress(" ", "d", "e", "q"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "data_engineer", () -> new TeamAddress("p", "d", "a b", "q"));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "sender", () -> new TeamAddress("p", "d", "e", null));
    }

    @Test
    void anAlertIsTheTeamsEnvelopeToTheProjectManagerWithTheVersionFirstInItsDetails() {
        IssueAlert a = CheckedChannel.valid(TEAM.alert(Severity.CRITICAL, "churn", "2",
                "Something broke", DETECTED, "Rolled back churn version 2: traffic is back on version 1",
                Map.of("step", 1), "incident-1"));

        assertThat(a.header().recipient()).isEqualTo("pm");
        assertThat(a.header().sender()).isEqualTo("quiver");
        assertThat(a.header().correlationId()).isEqualTo("incident-1");
        assertThat(a.header().sentAt()).isEqualTo(DETECTED);
        assertThat(a.issue().details().toString()).isEqualTo("{\"version\":\"2\",\"step\":1}");
        assertThat(TEAM.alert(Severity.LOW, "churn", "2", "x", DETECTED, "y", Map.of(), "c")
                .header().messageId()).isNotEqualTo(a.header().messageId());
    }

    @Test
    void aDeploymentRequestGoesToTheDataScientistUnderTheIncidentsCorrelationId() {
        DeploymentRequest d = CheckedChannel.valid(TEAM.deploymentRequest("churn",
                new DeploymentRequest.Requirements("p99 <= 100 ms", "1000 req/s", "ONNX"), "incident-1", DETECTED));

        assertThat(d.header().recipient()).isEqualTo("ds");
        assertThat(d.header().sender()).isEqualTo("quiver");
        assertThat(d.header().correlationId()).isEqualTo("incident-1");
        assertThat(d.header().sentAt()).isEqualTo(DETECTED);
        assertThat(d.request().modelId()).isEqualTo("churn");
        assertThat(d.request().requirements().requestsPerSecond()).hasValue(1000);
    }

    @Test
    void aFeatureRequestGoesToTheDataEngineer() {
        FeatureRequest f = CheckedChannel.valid(TEAM.featureRequest(List.of("churn_features:state"), "real-time",
                "hourly", "churn", "incident-2", DETECTED));

        assertThat(f.header().recipient()).isEqualTo("de");
        assertThat(f.header().correlationId()).isEqualTo("incident-2");
        assertThat(f.request().updateInterval()).hasValue(Duration.ofHours(1));
        assertThat(f.request().modelId()).isEqualTo("churn");
        Problems.expect(QuiverException.Kind.BAD_INPUT, "request.features",
                () -> TEAM.featureRequest(List.of(), null, null, null, "c", DETECTED));
    }
}
