/**
 * Rollouts on Redis ({@link dev.quiver.redis.rollouts.RedisRolloutStore}): the state every instance of the predict
 * function decides from, compared and replaced atomically, and each instance's counters of the current step.
 */
package dev.quiver.redis.rollouts;
