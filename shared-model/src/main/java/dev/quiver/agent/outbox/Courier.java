package dev.quiver.agent.outbox;

import dev.quiver.agent.directory.AgentDirectory;

import java.util.concurrent.CompletionStage;

/**
 * The port that carries one message to one agent over the agent's channel (A2A, Kafka, a CloudEvent sink). The stage
 * completes when the recipient's side has taken the message, and fails with why it did not; it must complete within
 * the transport's own timeout. Never blocks the calling thread.
 */
@FunctionalInterface
public interface Courier {

    /** Delivers {@code message} (its body, under its trace context) to the agent {@code recipient} describes. */
    CompletionStage<Void> deliver(Outgoing message, AgentDirectory.Agent recipient);
}
