package dev.quiver.team;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.agent.DeploymentRequest;
import dev.quiver.agent.FeatureRequest;
import dev.quiver.agent.Header;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Messages;
import dev.quiver.agent.Severity;
import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.agent.directory.AgentDirectory.Role;
import dev.quiver.error.Check;
import dev.quiver.json.Json;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who Quiver's envelopes are for and from, and how each is written. Every envelope is addressed by role: a
 * {@code model_issue_alert} to the project manager, a {@code model_deployment_request} to the data scientist, a
 * {@code feature_store_request} to the data engineer; and carries {@code sender} (this agent), a fresh
 * {@code message_id}, the incident's {@code correlation_id} (shared by an alert and the request it leads to) and
 * {@code sent_at}. Each is checked by {@link Messages#check} as it is made, so a field Quiver fills wrongly fails
 * here, not at the recipient.
 *
 * @param projectManager the agent id alerts go to
 * @param dataScientist  the agent id deployment requests go to
 * @param dataEngineer   the agent id feature requests go to
 * @param sender         this agent's id
 */
public record TeamAddress(String projectManager, String dataScientist, String dataEngineer, String sender) {

    /** An agent id as the envelope's header takes it: 1 to 256 characters, none of them blank. */
    private static final Pattern ID = Pattern.compile("\\S{1,256}");

    /** The recipients and sender when no agent directory names them: the team's own example ids. */
    public static final TeamAddress DEFAULT = new TeamAddress("project_manager_id", "data_scientist_id",
            "data_engineer_id", "quiver_ml_engineer");

    public TeamAddress {
        id(projectManager, "project_manager");
        id(dataScientist, "data_scientist");
        id(dataEngineer, "data_engineer");
        id(sender, "sender");
    }

    private static void id(String id, String field) {
        Check.that(id != null, field, "is required");
        Check.that(ID.matcher(id).matches(), field, "must be 1 to 256 characters without blanks, was '" + id + "'");
    }

    /**
     * The holders of the directory's roles, from the directory's own agent; for a role the directory assigns to
     * nobody (or a directory without {@code self}), {@code fallback}'s.
     */
    public static TeamAddress of(AgentDirectory directory, TeamAddress fallback) {
        return new TeamAddress(holder(directory, Role.PROJECT_MANAGER, fallback.projectManager()),
                holder(directory, Role.DATA_SCIENTIST, fallback.dataScientist()),
                holder(directory, Role.DATA_ENGINEER, fallback.dataEngineer()),
                directory.self() == null ? fallback.sender() : directory.self().id());
    }

    private static String holder(AgentDirectory directory, Role role, String fallback) {
        return directory.holder(role).map(Map.Entry::getKey).orElse(fallback);
    }

    /** The agent id that holds {@code role}. */
    public String recipient(Role role) {
        return switch (role) {
            case PROJECT_MANAGER -> projectManager;
            case DATA_SCIENTIST -> dataScientist;
            case DATA_ENGINEER -> dataEngineer;
        };
    }

    /**
     * An alert about a model version, to the project manager; {@code sent_at} is its detection time.
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
        return Messages.check(new IssueAlert(header(projectManager, correlationId, detectedAt),
                new IssueAlert.Issue(severity, model, issue, detectedAt, action, tree)));
    }

    /**
     * A request to the data scientist for a new or retrained {@code model} meeting {@code requirements}.
     *
     * @param requirements what the model must meet ({@link ModelRequirements}), or null when nothing is stated
     * @param correlationId the incident's id, shared with the alert it follows
     */
    public DeploymentRequest deploymentRequest(String model, DeploymentRequest.Requirements requirements,
                                               String correlationId, Instant sentAt) {
        return Messages.check(new DeploymentRequest(header(dataScientist, correlationId, sentAt),
                new DeploymentRequest.Request(model, requirements)));
    }

    /**
     * A request to the data engineer to make {@code features} available online.
     *
     * @param features           qualified names ({@code view:feature}), at least one, none twice
     * @param latencyRequirement how fast one online read must be ("real-time", "&lt; 10ms"), or null
     * @param updateFrequency    how often values must be refreshed ("hourly"), or null
     * @param model              the model that needs them, or null
     * @param correlationId      the incident's id
     */
    public FeatureRequest featureRequest(List<String> features, String latencyRequirement, String updateFrequency,
                                         String model, String correlationId, Instant sentAt) {
        return Messages.check(new FeatureRequest(header(dataEngineer, correlationId, sentAt),
                new FeatureRequest.Request(features, latencyRequirement, updateFrequency, model)));
    }

    private Header header(String recipient, String correlationId, Instant sentAt) {
        return new Header(recipient, sender, UUID.randomUUID().toString(), correlationId, sentAt);
    }
}
