package dev.quiver.agent;

/**
 * One of the three envelopes the team's agents send: a request for a model, a request for features, an alert
 * about a model. Its {@link Header#recipient()} is always present.
 */
public sealed interface Envelope extends Message permits DeploymentRequest, FeatureRequest, IssueAlert {
}
