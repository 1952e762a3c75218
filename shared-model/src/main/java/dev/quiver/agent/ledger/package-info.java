/**
 * At most one action per message: the {@link dev.quiver.agent.ledger.MessageLedger} port that the agent's handlers
 * claim a message id in before they act, and its embedded directory implementation.
 */
package dev.quiver.agent.ledger;
