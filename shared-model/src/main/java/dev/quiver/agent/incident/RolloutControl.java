package dev.quiver.agent.incident;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The port through which the agent acts on the predict function's rollouts (its rollout API over HTTP, in the agent
 * function). Stages complete when the predict function has answered; they fail with UNAVAILABLE when it cannot be
 * reached, and {@link #rollBack} with CONFLICT when the rollout finished in the meantime.
 */
public interface RolloutControl {

    /** The model's rollout while it runs (or is paused); empty when none does. */
    CompletionStage<Optional<Running>> running(String model);

    /** The model's latest rollout, finished or not; empty when it never had one. */
    CompletionStage<Optional<Snapshot>> latest(String model);

    /** Rolls the model's rollout back: the champion serves everyone again. */
    CompletionStage<Void> rollBack(String model, String by, String why);

    /**
     * A rollout that has not finished.
     *
     * @param id                its id
     * @param championVersion   the version that serves by default
     * @param challengerVersion the version rolled out
     */
    record Running(String id, String championVersion, String challengerVersion) {
    }

    /**
     * A rollout as it stands.
     *
     * @param id                its id
     * @param championVersion   the version that served by default when it started
     * @param challengerVersion the version rolled out
     * @param status            {@code running}, {@code paused}, {@code promoted} or {@code rolled_back}
     */
    record Snapshot(String id, String championVersion, String challengerVersion, String status) {

        public boolean finished() {
            return status.equals("promoted") || status.equals("rolled_back");
        }
    }
}
