/**
 * Incidents other agents report ({@code model_issue_alert}): the {@link dev.quiver.agent.incident.IncidentHandler}
 * that records them and rolls back a rollout at high severity, the {@link dev.quiver.agent.incident.RolloutControl}
 * port it acts through, and the incident log.
 */
package dev.quiver.agent.incident;
