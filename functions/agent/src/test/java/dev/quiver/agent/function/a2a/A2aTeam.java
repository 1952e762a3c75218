package dev.quiver.agent.function.a2a;

import dev.quiver.agent.function.Team;
import dev.quiver.testing.a2a.StandInA2aAgent;
import dev.quiver.testing.agents.TeamDirectory;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

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
        TeamDirectory.write(agents, "cloudevent: " + base + "/pm", "a2a: " + dataScientist.url(),
                "kafka: quiver.team.data-engineer");
        config.put("quiver.agents.directory", agents.toString());
        return config;
    }

    @Override
    public void stop() {
        dataScientist.close();
        team.stop();
    }
}
