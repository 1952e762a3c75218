/**
 * The Redis client every Redis adapter shares: {@link dev.quiver.redis.client.GuardedRedis} bounds each call by a
 * timeout and stops calling a server that keeps failing (a circuit breaker); {@code LoopConnections}, inside it,
 * keeps one connection per event loop, on which that loop's calls are pipelined.
 */
package dev.quiver.redis.client;
