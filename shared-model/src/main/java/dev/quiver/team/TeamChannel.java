package dev.quiver.team;

import dev.quiver.agent.Envelope;

/**
 * The outbound channel to the team: every envelope Quiver sends (a {@code model_issue_alert} to the project manager,
 * a {@code model_deployment_request} to the data scientist, a {@code feature_store_request} to the data engineer)
 * is {@linkplain #send sent} here, already addressed by {@link #address()} and checked by
 * {@link dev.quiver.agent.Messages#check}.
 *
 * <p>{@link #send} must not throw and must not block: a channel that is down drops or queues the envelope and counts
 * it, and what led to it (a rollback, say) has already happened. Safe to call from any thread, the event loop
 * included.
 */
public interface TeamChannel {

    /** A channel that sends nothing, addressed by {@link TeamAddress#DEFAULT}. */
    TeamChannel NONE = envelope -> {
    };

    /** Who the envelopes sent here are for and from; {@link TeamAddress#DEFAULT} unless the channel says. */
    default TeamAddress address() {
        return TeamAddress.DEFAULT;
    }

    /** Sends one envelope; never throws, never waits on the network. */
    void send(Envelope envelope);
}
