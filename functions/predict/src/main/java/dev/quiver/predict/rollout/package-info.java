/**
 * Rollouts in the predict function: the wiring of the core's {@link dev.quiver.rollout.Rollouts} (store, catalog
 * policies, alerts, the gate ticker) and their HTTP door, {@code /rollouts/{model}}.
 */
package dev.quiver.predict.rollout;
