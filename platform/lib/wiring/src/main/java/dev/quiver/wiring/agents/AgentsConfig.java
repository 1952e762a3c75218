package dev.quiver.wiring.agents;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The team Quiver works in, under {@code quiver.agents}. */
@ConfigMapping(prefix = "quiver.agents")
public interface AgentsConfig {

    /**
     * The agent directory (config/agents.yaml): this agent's id and who holds each role, such as the project manager
     * alerts go to. A missing file is a team of none; a malformed one stops the function, naming the key.
     */
    @WithDefault("config/agents.yaml")
    String directory();
}
