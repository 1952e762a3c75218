package dev.quiver.wiring.alerts;

import dev.quiver.alert.AlertSink;
import dev.quiver.alert.ModelIssueAlert;
import dev.quiver.json.Json;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The function's {@link AlertSink}: logs every alert at WARN, keeps the most recent ones for {@code GET /alerts},
 * and hands each to the configured CloudEvent sink. Never throws.
 */
@ApplicationScoped
public class Alerts implements AlertSink {

    private static final Logger LOG = Logger.getLogger(Alerts.class);

    /** What {@code GET /alerts} answers: where alerts go, how delivery went, and the recent alerts, newest first. */
    public record Recent(String sink, long delivered, long failed, long dropped, List<ModelIssueAlert> alerts) {
    }

    private final CloudEventAlertSink sink;
    private final int keep;
    private final Deque<ModelIssueAlert> recent = new ArrayDeque<>();

    public Alerts(AlertsConfig config) {
        String url = config.sinkUrl().filter(s -> !s.isBlank())
                .orElseGet(() -> System.getenv().getOrDefault("K_SINK", "")).trim();
        this.sink = url.isEmpty() ? null
                : new CloudEventAlertSink(URI.create(url), config.source(), config.timeout(), config.maxInFlight());
        this.keep = config.keep();
        if (sink != null) {
            LOG.infof("alerts go to %s as CloudEvents of type %s", url, ModelIssueAlert.TYPE);
        }
    }

    @Override
    public void emit(ModelIssueAlert alert) {
        try {
            LOG.warnf("%s: %s", ModelIssueAlert.TYPE, Json.MAPPER.writeValueAsString(alert).replace('\n', ' '));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.warnf("%s for %s: %s", ModelIssueAlert.TYPE, alert.modelId(), alert.issue());
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
        List<ModelIssueAlert> copy;
        synchronized (recent) {
            copy = new ArrayList<>(recent);
        }
        return sink == null ? new Recent(null, 0, 0, 0, copy)
                : new Recent(sink.target().toString(), sink.delivered(), sink.failed(), sink.dropped(), copy);
    }

    /** The sink the core's rollouts (and later drift) emit to. */
    @Produces
    @Singleton
    @DefaultBean
    AlertSink alertSink() {
        return this;
    }
}
