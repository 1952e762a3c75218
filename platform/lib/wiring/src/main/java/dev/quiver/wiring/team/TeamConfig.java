package dev.quiver.wiring.team;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Where the envelopes Quiver sends its team go, and whom they are for, under {@code quiver.team}. */
@ConfigMapping(prefix = "quiver.team")
public interface TeamConfig {

    /**
     * The URL every envelope is POSTed to as a binary-mode CloudEvent (a Knative broker or channel, the agent
     * function, any webhook). Unset: Knative's {@code K_SINK} when a SinkBinding or a source injects it; neither:
     * envelopes are only logged and kept in memory.
     */
    Optional<String> sinkUrl();

    /** A bearer token sent to the sink: an API key of the agent function with the deploy role; none when unset. */
    Optional<String> sinkApiKey();

    /** The CloudEvent {@code source} of the envelopes this function sends. */
    @WithDefault("/quiver")
    String source();

    /** How long one delivery may take. */
    @WithDefault("2s")
    Duration timeout();

    /** How many deliveries may be under way at once; an envelope beyond that is dropped (and counted). */
    @WithDefault("64")
    int maxInFlight();

    /** The agent id alerts go to when the agent directory ({@code quiver.agents.directory}) names no project manager. */
    @WithDefault("project_manager_id")
    String projectManager();

    /** The agent id deployment requests go to when the agent directory names no data scientist. */
    @WithDefault("data_scientist_id")
    String dataScientist();

    /** The agent id feature requests go to when the agent directory names no data engineer. */
    @WithDefault("data_engineer_id")
    String dataEngineer();

    /** This agent's id, the {@code sender} of every envelope, when the agent directory has no {@code self}. */
    @WithDefault("quiver_ml_engineer")
    String sender();

    /** How many recent envelopes {@code GET /alerts} keeps, alerts and requests each. */
    @WithDefault("100")
    int keep();
}
