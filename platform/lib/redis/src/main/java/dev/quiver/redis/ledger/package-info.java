/**
 * The message ledger on Redis ({@link dev.quiver.redis.ledger.RedisMessageLedger}): each message id acts at most
 * once across every instance that shares the Redis.
 */
package dev.quiver.redis.ledger;
