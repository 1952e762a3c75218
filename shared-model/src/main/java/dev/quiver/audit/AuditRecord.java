package dev.quiver.audit;

import java.time.Instant;

/**
 * One request that changed, or tried to change, what a function serves or stores.
 *
 * @param at      when it was answered
 * @param subject who made it: an API key's name, a JWT's subject, {@code anonymous}, or {@code cloudevent:<source>}
 * @param via     how the subject was proved: {@code api-key}, {@code jwt}, {@code cloudevent} or {@code anonymous}
 * @param action  the method and path, or for a CloudEvent its type ({@code POST /registry/models/churn/versions},
 *                {@code cloudevent push})
 * @param role    the role the action needs
 * @param status  the HTTP status it was answered with: 2xx done, 401 and 403 refused; 499 when the caller went away
 *                before an answer
 */
public record AuditRecord(Instant at, String subject, String via, String action, String role, int status) {
}
