/**
 * The team Quiver works in ({@link dev.quiver.agent.directory.AgentDirectory}, {@code config/agents.yaml}): this
 * agent's card, the agents it knows and how each is reached (A2A, a Kafka topic or a CloudEvent sink), and who holds
 * each role Quiver sends to.
 */
package dev.quiver.agent.directory;
