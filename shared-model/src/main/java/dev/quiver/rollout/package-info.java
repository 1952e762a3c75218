/**
 * Rollouts of a new model version: the policy (strategy, versions by alias, steps, gates), sticky assignment of
 * requests to versions by a stable hash, and the statistics an A/B test decides with.
 */
package dev.quiver.rollout;
