/**
 * The Redis client every Redis adapter shares: {@link dev.quiver.redis.client.GuardedRedis} bounds each call by a
 * timeout, stops calling a server that keeps failing (a circuit breaker), and keeps one connection per event loop.
 */
package dev.quiver.redis.client;
