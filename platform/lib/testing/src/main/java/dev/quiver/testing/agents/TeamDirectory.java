package dev.quiver.testing.agents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an agent directory (config/agents.yaml's shape) for a test: Quiver as {@code quiver_ml_engineer}, and the
 * project manager, data scientist and data engineer each reached as the test says, by a line such as
 * {@code cloudevent: http://127.0.0.1:1234/pm}, {@code a2a: http://127.0.0.1:1235} or {@code kafka: topic}.
 */
public final class TeamDirectory {

    private TeamDirectory() {
    }

    /** Writes the directory to {@code file} and returns it. */
    public static Path write(Path file, String projectManager, String dataScientist, String dataEngineer) {
        try {
            Files.writeString(file, """
                    self:
                      id: quiver_ml_engineer
                      name: Quiver
                      description: The team's ML engineer
                    roles:
                      project_manager: project_manager_id
                      data_scientist: data_scientist_id
                      data_engineer: data_engineer_id
                    agents:
                      project_manager_id:
                        %s
                      data_scientist_id:
                        %s
                      data_engineer_id:
                        %s
                    """.formatted(projectManager, dataScientist, dataEngineer));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
