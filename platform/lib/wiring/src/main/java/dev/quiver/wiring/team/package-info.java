/**
 * The outbound channel to the team ({@link dev.quiver.team.TeamChannel}): every envelope Quiver sends is addressed by
 * role from the agent directory ({@code quiver.agents.directory}, else {@code quiver.team.project-manager},
 * {@code .data-scientist}, {@code .data-engineer}), logged and kept in memory ({@code GET /alerts}), and, when a sink
 * is configured ({@code quiver.team.sink-url}, or Knative's {@code K_SINK}), POSTed there as a CloudEvent whose type
 * is the envelope's action.
 */
package dev.quiver.wiring.team;
