/**
 * What Quiver sends to other agents, kept until delivered: the {@link dev.quiver.agent.outbox.Outbox} with its
 * retry policy and dead letters, the {@link dev.quiver.agent.outbox.Courier} port to the channels, and the
 * {@link dev.quiver.agent.outbox.OutboxStore} port with its embedded directory implementation.
 */
package dev.quiver.agent.outbox;
