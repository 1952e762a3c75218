/**
 * The Redis online store: {@link dev.quiver.onlinestore.redis.RedisOnlineStore}, an
 * {@link dev.quiver.feature.OnlineStore} that keeps features in the layout Feast's Python SDK uses
 * ({@link dev.quiver.onlinestore.redis.FeastRedisLayout}: entity key serialization version 3, Feast 0.38 and later,
 * or version 2), its options ({@link dev.quiver.onlinestore.redis.RedisOnlineStoreOptions}) and nothing else public.
 * The codecs, the Lua write script and the timeout and circuit breaker machinery live in {@code internal}.
 */
package dev.quiver.onlinestore.redis;
