package dev.quiver.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.agent.Header;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Messages;
import dev.quiver.agent.Severity;
import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.error.Check;
import dev.quiver.json.Json;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who Quiver's {@code model_issue_alert}s are for and from, and how one is written: every alert Quiver raises is the
 * team's {@link IssueAlert} envelope, addressed to {@link #recipient}, with a fresh message id, the incident's
 * correlation id, {@code sent_at} its detection time, the model's name as {@code issue.model_id} and its version
 * and measured values in {@code issue.details}.
 *
 * @param recipient the agent id alerts go to: the team's project manager
 * @param sender    this agent's id, or null when the team has no directory
 */
public record AlertAddress(String recipient, String sender) {

    /** An agent id as the envelope's header takes it: 1 to 256 characters, none of them blank. */
    private static final Pattern ID = Pattern.compile("\\S{1,256}");

    /** The recipient when no agent directory names a project manager. */
    public static final String DEFAULT_RECIPIENT = "project_manager_id";

    /** Alerts to {@value #DEFAULT_RECIPIENT}, from no one in particular. */
    public static final AlertAddress DEFAULT = new AlertAddress(DEFAULT_RECIPIENT, null);

    public AlertAddress {
        Check.that(recipient != null, "recipient", "is required");
        Check.that(ID.matcher(recipient).matches(), "recipient",
                "must be 1 to 256 characters without blanks, was '" + recipient + "'");
        Check.that(sender == null || ID.matcher(sender).matches(), "sender",
                "must be 1 to 256 characters without blanks, was '" + sender + "'");
    }

    /**
     * The directory's project manager, from the directory's own agent; {@code fallback} when the directory names no
     * project manager.
     */
    public static AlertAddress of(AgentDirectory directory, String fallback) {
        String recipient = directory.holder(AgentDirectory.Role.PROJECT_MANAGER).map(Map.Entry::getKey)
                .orElse(fallback);
        return new AlertAddress(recipient, directory.self() == null ? null : directory.self().id());
    }

    /**
     * An alert about a model version, checked by {@link Messages#check} (a field Quiver fills wrongly fails here,
     * not at the recipient).
     *
     * @param model         the model's name: {@code issue.model_id}
     * @param version       its version: {@code issue.details.version}
     * @param issue         what happened, in words, with the measured value and the threshold
     * @param action        what Quiver did or is doing about it, in words
     * @param details       measured values and context by name, written after the version
     * @param correlationId the incident's id, shared by every message about it
     */
    public IssueAlert alert(Severity severity, String model, String version, String issue, Instant detectedAt,
                            String action, Map<String, ?> details, String correlationId) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("version", version);
        all.putAll(details);
        ObjectNode tree = Json.MAPPER.valueToTree(all);
        return Messages.check(new IssueAlert(
                new Header(recipient, sender, UUID.randomUUID().toString(), correlationId, detectedAt),
                new IssueAlert.Issue(severity, model, issue, detectedAt, action, tree)));
    }
}
