/**
 * The online feature store on Redis in Feast's layout: {@link dev.quiver.redis.feast.RedisOnlineStore}, an
 * {@link dev.quiver.feature.OnlineStore} that a Feast feature server can share, byte for byte
 * ({@link dev.quiver.redis.feast.FeastRedisLayout}: entity key serialization versions 1 to 3), with its options,
 * the entity key and protobuf {@code feast.types.Value} codecs and the Lua script that writes a row newer-wins.
 */
package dev.quiver.redis.feast;
