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
}
