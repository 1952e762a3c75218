package dev.quiver.agent.incident;

import java.time.Instant;

/**
 * An incident another agent reported with a {@code model_issue_alert}, and what Quiver did about it.
 *
 * @param messageId     the alert's message id
 * @param correlationId the incident's correlation id (the alert's own, or its message id)
 * @param reporter      the agent that sent it, or null
 * @param severity      as reported: low, medium, high or critical
 * @param model         the model it concerns
 * @param version       the version it concerns, when the alert names one ({@code issue.details.version})
 * @param issue         what happened, in the reporter's words
 * @param detectedAt    when the reporter detected it
 * @param receivedAt    when Quiver received it
 * @param done          what Quiver did, in words
 */
public record Incident(String messageId, String correlationId, String reporter, String severity, String model,
                       String version, String issue, Instant detectedAt, Instant receivedAt, String done) {
}
