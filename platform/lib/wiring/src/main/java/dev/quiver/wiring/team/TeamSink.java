package dev.quiver.wiring.team;

import dev.quiver.agent.Envelope;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Messages;
import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.team.TeamAddress;
import dev.quiver.team.TeamChannel;
import dev.quiver.wiring.agents.AgentsConfig;
import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The function's {@link TeamChannel}: addresses envelopes by role from the agent directory
 * ({@code quiver.agents.directory}; {@code quiver.team.*} for a role it assigns to nobody), from the directory's own
 * agent; logs every envelope at WARN, keeps the most recent ones for {@code GET /alerts} (alerts and requests apart),
 * and hands each to the configured CloudEvent sink. Never throws, never blocks. Built at start, so that a malformed
 * agent directory or recipient stops the function with the key named rather than failing its first envelope.
 */
@ApplicationScoped
@Startup
public class TeamSink implements TeamChannel {

    private static final Logger LOG = Logger.getLogger(TeamSink.class);

    /**
     * What {@code GET /alerts} answers: where envelopes go, how delivery went (of every envelope), the recent
     * {@code model_issue_alert}s and, apart, the recent {@code model_deployment_request}s and
     * {@code feature_store_request}s, newest first, each as sent.
     */
    public record Recent(String sink, long delivered, long failed, long dropped, List<IssueAlert> alerts,
                         List<Envelope> requests) {
    }

    private final TeamAddress address;
    private final CloudEventTeamSink sink;
    private final int keep;
    private final Deque<IssueAlert> alerts = new ArrayDeque<>();
    private final Deque<Envelope> requests = new ArrayDeque<>();

    public TeamSink(TeamConfig config, AgentsConfig agents) {
        this.address = TeamAddress.of(AgentDirectory.read(Path.of(agents.directory())), new TeamAddress(
                config.projectManager(), config.dataScientist(), config.dataEngineer(), config.sender()));
        String url = config.sinkUrl().filter(s -> !s.isBlank())
                .orElseGet(() -> System.getenv().getOrDefault("K_SINK", "")).trim();
        this.sink = url.isEmpty() ? null
                : new CloudEventTeamSink(URI.create(url), config.source(), config.timeout(), config.maxInFlight(),
                config.sinkApiKey());
        this.keep = config.keep();
        if (sink != null) {
            LOG.infof("envelopes to the team (%s) go to %s as CloudEvents typed by their action", address, url);
        }
    }

    @Override
    public TeamAddress address() {
        return address;
    }

    @Override
    public void send(Envelope envelope) {
        String type = envelope.action().wireName();
        try {
            LOG.warnf("%s: %s", type, Messages.toJson(envelope));
        } catch (RuntimeException e) {
            LOG.warnf("%s to %s", type, envelope.header().recipient());
        }
        if (envelope instanceof IssueAlert alert) {
            keep(alerts, alert);
        } else {
            keep(requests, envelope);
        }
        if (sink != null) {
            sink.send(envelope);
        }
    }

    private <T> void keep(Deque<T> recent, T envelope) {
        synchronized (recent) {
            recent.addFirst(envelope);
            while (recent.size() > keep) {
                recent.removeLast();
            }
        }
    }

    public Recent recent() {
        List<IssueAlert> a;
        List<Envelope> r;
        synchronized (alerts) {
            a = new ArrayList<>(alerts);
        }
        synchronized (requests) {
            r = new ArrayList<>(requests);
        }
        return sink == null ? new Recent(null, 0, 0, 0, a, r)
                : new Recent(sink.target().toString(), sink.delivered(), sink.failed(), sink.dropped(), a, r);
    }

    /** The channel the core's rollouts, drift evaluations and feature watch send to. */
    @Produces
    @Singleton
    @DefaultBean
    TeamChannel teamChannel() {
        return this;
    }
}
