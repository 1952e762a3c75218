/**
 * Not API: the byte codecs behind {@link dev.quiver.onlinestore.redis.FeastRedisLayout} (entity keys, protobuf
 * {@code feast.types.Value} and {@code google.protobuf.Timestamp}), the Lua script that writes a row newer-wins, and
 * {@link dev.quiver.onlinestore.redis.internal.GuardedRedis}, which bounds every call by a timeout and a circuit
 * breaker. Public only so that the tests and the adapter package can reach them; may change without notice.
 */
package dev.quiver.onlinestore.redis.internal;
