package dev.quiver.wiring.alerts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Where alerts go and whom they are for, under {@code quiver.alerts}. */
@ConfigMapping(prefix = "quiver.alerts")
public interface AlertsConfig {

    /**
     * The URL alerts are POSTed to as binary-mode CloudEvents (a Knative broker or channel, an agent, any
     * webhook). Unset: Knative's {@code K_SINK} when a SinkBinding or a source injects it; neither: alerts are
     * only logged and kept in memory.
     */
    Optional<String> sinkUrl();

    /** The CloudEvent {@code source} of the alerts this function emits. */
    @WithDefault("/quiver")
    String source();

    /** How long one delivery may take. */
    @WithDefault("2s")
    Duration timeout();

    /** How many deliveries may be under way at once; an alert beyond that is dropped (and counted). */
    @WithDefault("64")
    int maxInFlight();

    /**
     * The agent id alerts are addressed to when the agent directory ({@code quiver.agents.directory}) is missing or
     * names no project manager.
     */
    @WithDefault("project_manager_id")
    String recipient();

    /** How many recent alerts {@code GET /alerts} keeps. */
    @WithDefault("100")
    int keep();
}
