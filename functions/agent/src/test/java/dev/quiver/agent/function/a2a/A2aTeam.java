package dev.quiver.agent.function.a2a;

import dev.quiver.agent.function.Team;
import dev.quiver.testing.a2a.StandInA2aAgent;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link Team}, with the data scientist reached over A2A: a {@link StandInA2aAgent} that acknowledges what reaches it.
 */
public class A2aTeam implements QuarkusTestResourceLifecycleManager {

    /** The data scientist. */
    public static StandInA2aAgent dataScientist;

    private final Team team = new Team();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(team.start());
        dataScientist = new StandInA2aAgent("data_scientist_id");
        String predict = config.get("quiver.agent.predict.url");
        String base = predict.substring(0, predict.length() - "/predict".length());
        Path agents = Team.state.resolve("agents-a2a.yaml");
        try {
            Files.writeString(agents, """
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
                        cloudevent: %s/pm
                      data_scientist_id:
                        a2a: %s
                      data_engineer_id:
                        kafka: quiver.team.data-engineer
                    """.formatted(base, dataScientist.url()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("quiver.agents.directory", agents.toString());
        return config;
    }

    @Override
    public void stop() {
        dataScientist.close();
        team.stop();
    }
}
