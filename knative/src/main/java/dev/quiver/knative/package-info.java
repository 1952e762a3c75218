/**
 * What Quiver's Knative deployment derives from the repository's configuration: a model's rollout policy
 * (config/models.yaml) as the traffic split of the predict function's Knative Service ({@link
 * dev.quiver.knative.TrafficSplit}).
 */
package dev.quiver.knative;
