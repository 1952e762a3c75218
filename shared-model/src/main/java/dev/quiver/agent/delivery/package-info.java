/**
 * Taking a delivered model into service: the format against what this deployment serves, the artifact's location
 * against the allowed stores (nothing else is ever fetched), the digest, and then the predict function's candidate
 * intake (benchmark, register as challenger, start the rollout).
 */
package dev.quiver.agent.delivery;
