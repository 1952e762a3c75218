package dev.quiver.agent.function.a2a;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** The agent's A2A door and courier, under {@code quiver.agent.a2a}. */
@ConfigMapping(prefix = "quiver.agent.a2a")
public interface A2aConfig {

    /**
     * The A2A endpoint other agents reach this agent at, as its card states it (https://quiver.example.com/a2a); unset:
     * the agent directory's {@code self.url}, else {@code /a2a} below the URL the card was fetched from.
     */
    Optional<String> url();

    /** A bearer token sent with every message to the agents reached over A2A; none when unset. */
    Optional<String> apiKey();
}
