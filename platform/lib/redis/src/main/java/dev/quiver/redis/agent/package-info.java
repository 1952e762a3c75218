/**
 * The agent's state in Redis, for instances that share no disk (Lambda): its outbox, audit journal, incidents and dead
 * letters ({@link dev.quiver.redis.agent.RedisAgentState}); its message ledger is
 * {@link dev.quiver.redis.ledger.RedisMessageLedger}.
 */
package dev.quiver.redis.agent;
