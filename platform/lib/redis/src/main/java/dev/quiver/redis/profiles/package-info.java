/**
 * The drift profile store on Redis ({@link dev.quiver.redis.profiles.RedisProfileStore}): window profiles that every
 * instance of the predict function saves and the drift function merges, for deployments that share no disk.
 */
package dev.quiver.redis.profiles;
