/**
 * The outbound channel of {@code model_issue_alert} envelopes: every alert is addressed to the team's project manager
 * (from the agent directory, {@code quiver.agents.directory}, else {@code quiver.alerts.recipient}), logged and kept
 * in memory ({@code GET /alerts}), and, when a sink is configured ({@code quiver.alerts.sink-url}, or Knative's
 * {@code K_SINK}), POSTed there as a CloudEvent.
 */
package dev.quiver.wiring.alerts;
