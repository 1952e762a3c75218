/**
 * What the agent remembers between the messages of a conversation (the deployment requests it sent, the rollouts it
 * watches, the open feature requests): {@link dev.quiver.agent.memory.Memory}, kept in the agent's store so that a
 * restart, or another instance, carries the conversation on.
 */
package dev.quiver.agent.memory;
