package dev.quiver.wiring.alerts;

import dev.quiver.agent.Action;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Messages;
import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.alert.AlertAddress;
import dev.quiver.alert.AlertSink;
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
 * The function's {@link AlertSink}: addresses alerts to the project manager of the agent directory
 * ({@code quiver.agents.directory}; {@code quiver.alerts.recipient} when it names none), from the directory's own
 * agent; logs every alert at WARN, keeps the most recent ones for {@code GET /alerts}, and hands each to the
 * configured CloudEvent sink. Never throws. Built at start, so that a malformed agent directory or recipient stops
 * the function with the key named rather than failing its first alert.
 */
@ApplicationScoped
@Startup
public class Alerts implements AlertSink {

    private static final Logger LOG = Logger.getLogger(Alerts.class);

    /**
     * What {@code GET /alerts} answers: where alerts go, how delivery went, and the recent alerts, newest first, each
     * the {@code model_issue_alert} envelope as sent.
     */
    public record Recent(String sink, long delivered, long failed, long dropped, List<IssueAlert> alerts) {
    }

    private static final String TYPE = Action.MODEL_ISSUE_ALERT.wireName();

    private final AlertAddress address;
    private final CloudEventAlertSink sink;
    private final int keep;
    private final Deque<IssueAlert> recent = new ArrayDeque<>();

    public Alerts(AlertsConfig config, AgentsConfig agents) {
        this.address = AlertAddress.of(AgentDirectory.read(Path.of(agents.directory())), config.recipient());
        String url = config.sinkUrl().filter(s -> !s.isBlank())
                .orElseGet(() -> System.getenv().getOrDefault("K_SINK", "")).trim();
        this.sink = url.isEmpty() ? null
                : new CloudEventAlertSink(URI.create(url), config.source(), config.timeout(), config.maxInFlight());
        this.keep = config.keep();
        if (sink != null) {
            LOG.infof("alerts for %s go to %s as CloudEvents of type %s", address.recipient(), url, TYPE);
        }
    }

    @Override
    public AlertAddress address() {
        return address;
    }

    @Override
    public void emit(IssueAlert alert) {
        try {
            LOG.warnf("%s: %s", TYPE, Messages.toJson(alert));
        } catch (RuntimeException e) {
            LOG.warnf("%s for %s: %s", TYPE, alert.issue().modelId(), alert.issue().issue());
        }
        synchronized (recent) {
            recent.addFirst(alert);
            while (recent.size() > keep) {
                recent.removeLast();
            }
        }
        if (sink != null) {
            sink.emit(alert);
        }
    }

    public Recent recent() {
        List<IssueAlert> copy;
        synchronized (recent) {
            copy = new ArrayList<>(recent);
        }
        return sink == null ? new Recent(null, 0, 0, 0, copy)
                : new Recent(sink.target().toString(), sink.delivered(), sink.failed(), sink.dropped(), copy);
    }

    /** The sink the core's rollouts and drift evaluations emit to. */
    @Produces
    @Singleton
    @DefaultBean
    AlertSink alertSink() {
        return this;
    }
}
