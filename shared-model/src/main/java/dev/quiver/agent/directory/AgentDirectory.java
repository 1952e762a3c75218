package dev.quiver.agent.directory;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The team Quiver works in, {@code config/agents.yaml}: this agent's own card, the agents it knows with how each is
 * reached, and which agent holds each of the team's roles, so that a message is addressed by role
 * ({@code project_manager} for a {@code model_issue_alert}) and delivered by the recipient's channel.
 *
 * <p>{@link #read} checks the whole file: an unknown key, an agent with no channel or more than one, a URL that is not
 * absolute http(s), a Kafka topic Kafka would refuse, or a role naming an agent the file does not list is a
 * BAD_INPUT naming the key's path ({@code agents.data_scientist_id.a2a}). Immutable once read.
 *
 * @param self   this agent, as its A2A agent card presents it
 * @param roles  role name to agent id; the roles Quiver addresses are {@link Role}'s
 * @param agents agent id to how it is reached
 */
public record AgentDirectory(Self self, Map<String, String> roles, Map<String, Agent> agents) {

    /** The roles Quiver sends to, each with the envelope it sends there. */
    public enum Role {
        /** receives {@code model_issue_alert}: rollbacks, drift and accuracy incidents */
        PROJECT_MANAGER,
        /** receives {@code model_deployment_request}: a new or retrained model is needed */
        DATA_SCIENTIST,
        /** receives {@code feature_store_request}: features are missing or stale */
        DATA_ENGINEER;

        /** The role's key in the file: {@code project_manager}. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param id          this agent's id, the {@code sender} of what it sends
     * @param name        its display name
     * @param description what it does, in a sentence
     * @param url         where other agents reach it (its A2A endpoint); null when only the local doors serve it
     */
    public record Self(String id, String name, String description, String url) {
    }

    /**
     * How one agent is reached: exactly one channel is set.
     *
     * @param a2a        the agent's A2A endpoint (its card is at {@code /.well-known/agent-card.json} below it)
     * @param kafka      a Kafka topic it reads
     * @param cloudevent an HTTP sink that accepts CloudEvents (a Knative broker or a service)
     */
    public record Agent(String a2a, String kafka, String cloudevent) {

        /** Which channel is set. */
        public Channel channel() {
            return a2a != null ? Channel.A2A : kafka != null ? Channel.KAFKA : Channel.CLOUDEVENT;
        }

        /** The address on that channel: a URL or a topic. */
        public String address() {
            return a2a != null ? a2a : kafka != null ? kafka : cloudevent;
        }
    }

    /** The ways an agent is reached. */
    public enum Channel { A2A, KAFKA, CLOUDEVENT }

    /** Kafka's own rule for topic names: 1 to 249 of letters, digits, '.', '_' and '-', and not "." or "..". */
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    public AgentDirectory {
        roles = roles == null ? Map.of() : Map.copyOf(roles);
        agents = agents == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(agents));
    }

    /** The agent that holds {@code role}, with its id; empty when the file assigns the role to nobody. */
    public Optional<Map.Entry<String, Agent>> holder(Role role) {
        String id = roles.get(role.key());
        return id == null ? Optional.empty() : Optional.of(Map.entry(id, agents.get(id)));
    }

    /** The agent with this id; empty for an agent the directory does not list. */
    public Optional<Agent> agent(String id) {
        return Optional.ofNullable(agents.get(id));
    }

    /** Reads and checks a directory file; a missing file is a team of one, with no roles and no agents. */
    public static AgentDirectory read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new AgentDirectory(null, Map.of(), Map.of());
        }
        AgentDirectory d;
        try {
            d = Json.YAML.readValue(file.toFile(), AgentDirectory.class);
        } catch (JsonMappingException e) {
            throw QuiverException.badInput(Json.fieldPath(e, "directory"),
                    "in the agent directory " + file + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent directory " + file, e);
        }
        try {
            d.check();
        } catch (QuiverException e) {
            throw QuiverException.badInput(e.field(), "in the agent directory " + file + ": " + e.reason());
        }
        return d;
    }

    /** Fails with BAD_INPUT naming the first key that is wrong. */
    public void check() {
        if (self != null) {
            Check.that(self.id() != null && !self.id().isBlank(), "self.id", "is required");
            if (self.url() != null) {
                url("self.url", self.url());
            }
        }
        for (Map.Entry<String, Agent> e : agents.entrySet()) {
            String at = "agents." + e.getKey();
            Agent a = e.getValue();
            Check.that(a != null, at, "must say how the agent is reached: one of a2a, kafka, cloudevent");
            int set = (a.a2a() == null ? 0 : 1) + (a.kafka() == null ? 0 : 1) + (a.cloudevent() == null ? 0 : 1);
            Check.that(set == 1, at, "must set exactly one of a2a, kafka, cloudevent, set " + set);
            if (a.a2a() != null) {
                url(at + ".a2a", a.a2a());
            } else if (a.cloudevent() != null) {
                url(at + ".cloudevent", a.cloudevent());
            } else {
                Check.that(TOPIC.matcher(a.kafka()).matches() && !a.kafka().equals(".") && !a.kafka().equals(".."),
                        at + ".kafka", "is not a Kafka topic name (1 to 249 of letters, digits, '.', '_', '-'): '"
                                + a.kafka() + "'");
            }
        }
        Map<String, String> known = new TreeMap<>();
        for (Role r : Role.values()) {
            known.put(r.key(), r.name());
        }
        for (Map.Entry<String, String> e : roles.entrySet()) {
            String at = "roles." + e.getKey();
            Check.that(known.containsKey(e.getKey()), at, "is not a role Quiver sends to; the roles are "
                    + known.keySet());
            Check.that(agents.containsKey(e.getValue()), at, "names agent '" + e.getValue()
                    + "', which agents does not list");
        }
    }

    private static void url(String field, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw QuiverException.badInput(field, "is not a URL: '" + text + "'");
        }
        Check.that(("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null,
                field, "must be an absolute http or https URL, was '" + text + "'");
    }

}
