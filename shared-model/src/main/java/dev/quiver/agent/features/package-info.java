/**
 * What Quiver answers to a {@code feature_store_request}
 * ({@link dev.quiver.agent.features.FeatureAvailabilityCheck}): each feature checked against the definitions and
 * measured in the online store for freshness and read latency.
 */
package dev.quiver.agent.features;
