/**
 * The team's messages, as Quiver reads and writes them: the three envelopes the team's agents exchange
 * ({@link dev.quiver.agent.DeploymentRequest model_deployment_request},
 * {@link dev.quiver.agent.FeatureRequest feature_store_request}, {@link dev.quiver.agent.IssueAlert
 * model_issue_alert}) and the three answers to them ({@link dev.quiver.agent.ModelDelivery model_delivery},
 * {@link dev.quiver.agent.FeatureAvailability feature_availability}, {@link dev.quiver.agent.Acknowledgement
 * acknowledgement}).
 *
 * <p>{@link dev.quiver.agent.Messages} reads any of them by its {@code action} and checks it;
 * the JSON Schema {@value dev.quiver.agent.Messages#SCHEMA_RESOURCE} publishes the same rules for other agents.
 * Nothing here knows a transport: the doors (HTTP, CloudEvents, messaging, A2A) hand JSON in and take JSON out.
 */
package dev.quiver.agent;
