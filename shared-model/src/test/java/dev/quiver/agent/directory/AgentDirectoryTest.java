package dev.quiver.agent.directory;

import dev.quiver.agent.directory.AgentDirectory.Channel;
import dev.quiver.agent.directory.AgentDirectory.Role;
import dev.quiver.testing.FeatureFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.quiver.error.QuiverException.Kind.BAD_INPUT;
import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;

class AgentDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void theRepositoryDirectoryNamesAnAgentForEveryRoleOnEachChannel() {
        AgentDirectory d = AgentDirectory.read(FeatureFixtures.repositoryRoot().resolve("config/agents.yaml"));

        assertThat(d.self().id()).isEqualTo("quiver_ml_engineer");
        var pm = d.holder(Role.PROJECT_MANAGER).orElseThrow();
        assertThat(pm.getKey()).isEqualTo("project_manager_id");
        assertThat(pm.getValue().channel()).isEqualTo(Channel.CLOUDEVENT);
        var ds = d.holder(Role.DATA_SCIENTIST).orElseThrow().getValue();
        assertThat(ds.channel()).isEqualTo(Channel.A2A);
        assertThat(ds.address()).isEqualTo("http://127.0.0.1:9101");
        var de = d.holder(Role.DATA_ENGINEER).orElseThrow().getValue();
        assertThat(de.channel()).isEqualTo(Channel.KAFKA);
        assertThat(de.address()).isEqualTo("quiver.team.data-engineer");
    }

    @Test
    void aMissingFileIsATeamOfOne() {
        AgentDirectory d = AgentDirectory.read(dir.resolve("absent.yaml"));

        assertThat(d.agents()).isEmpty();
        assertThat(d.holder(Role.PROJECT_MANAGER)).isEmpty();
        assertThat(d.agent("anyone")).isEmpty();
    }

    @Test
    void aRoleAssignedToNobodyHasNoHolder() throws IOException {
        AgentDirectory d = written("""
                roles: {project_manager: pm}
                agents:
                  pm: {a2a: https://pm.example.com/a2a}
                """);

        assertThat(d.holder(Role.PROJECT_MANAGER)).isPresent();
        assertThat(d.holder(Role.DATA_SCIENTIST)).isEmpty();
    }

    @Test
    void eachMistakeIsNamedByItsPath() {
        expect(BAD_INPUT, "agents.pm", () -> written("""
                agents:
                  pm: {a2a: http://pm:1, kafka: pm}
                """));
        expect(BAD_INPUT, "agents.pm", () -> written("""
                agents:
                  pm: {}
                """));
        expect(BAD_INPUT, "agents.pm.a2a", () -> written("""
                agents:
                  pm: {a2a: "file:///etc/passwd"}
                """));
        expect(BAD_INPUT, "agents.pm.cloudevent", () -> written("""
                agents:
                  pm: {cloudevent: "/events"}
                """));
        expect(BAD_INPUT, "agents.pm.kafka", () -> written("""
                agents:
                  pm: {kafka: "has space"}
                """));
        expect(BAD_INPUT, "agents.pm.kafka", () -> written("""
                agents:
                  pm: {kafka: ".."}
                """));
        expect(BAD_INPUT, "agents.pm.sqs", () -> written("""
                agents:
                  pm: {sqs: queue}
                """));
        var unknownRole = expect(BAD_INPUT, "roles.ceo", () -> written("""
                roles: {ceo: pm}
                agents:
                  pm: {kafka: pm}
                """));
        assertThat(unknownRole.reason()).contains("project_manager", "data_scientist", "data_engineer");
        var unlisted = expect(BAD_INPUT, "roles.project_manager", () -> written("""
                roles: {project_manager: ghost}
                agents:
                  pm: {kafka: pm}
                """));
        assertThat(unlisted.reason()).contains("'ghost'").contains("agents.yaml");
        expect(BAD_INPUT, "self.id", () -> written("""
                self: {name: Quiver}
                """));
        expect(BAD_INPUT, "self.url", () -> written("""
                self: {id: q, url: "not a url"}
                """));
    }

    private AgentDirectory written(String yaml) throws IOException {
        Files.writeString(dir.resolve("agents.yaml"), yaml);
        return AgentDirectory.read(dir.resolve("agents.yaml"));
    }
}
