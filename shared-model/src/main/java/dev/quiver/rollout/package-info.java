/**
 * Rollouts of a new model version: the policy (strategy, versions by alias, steps, gates), sticky assignment of
 * requests to versions by a stable hash, the statistics an A/B test decides with, and predictions routed under a
 * rollout with their shadow copies scored off the caller's path.
 */
package dev.quiver.rollout;
