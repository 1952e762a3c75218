package dev.quiver.wiring.alerts;

import dev.quiver.agent.Action;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Messages;
import dev.quiver.alert.AlertSink;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers alerts to an HTTP endpoint as CloudEvents in binary mode: the {@code model_issue_alert} envelope is the
 * JSON body, {@code ce-type} is {@code model_issue_alert}, {@code ce-id} the envelope's message id (so a receiver
 * can de-duplicate), {@code ce-subject} the model version as {@code name:version}, {@code ce-time} its detection.
 * Delivery is asynchronous and bounded: the caller (a rollback, say) never waits, a slow or dead receiver costs at
 * most {@code maxInFlight} pending requests, and every outcome is counted.
 */
public final class CloudEventAlertSink implements AlertSink {

    private static final Logger LOG = Logger.getLogger(CloudEventAlertSink.class);
    private static final String TYPE = Action.MODEL_ISSUE_ALERT.wireName();

    private final URI target;
    private final URI source;
    private final Duration timeout;
    private final HttpClient client;
    private final Semaphore inFlight;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public CloudEventAlertSink(URI target, String source, Duration timeout, int maxInFlight) {
        this.target = target;
        this.source = URI.create(source);
        this.timeout = timeout;
        this.inFlight = new Semaphore(maxInFlight);
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The CloudEvent an alert travels as. */
    public CloudEvent event(IssueAlert alert) {
        byte[] body = Messages.toJson(alert).getBytes(StandardCharsets.UTF_8);
        IssueAlert.Issue issue = alert.issue();
        var version = issue.details() == null ? null : issue.details().get("version");
        return CloudEventBuilder.v1().withId(alert.header().messageId()).withType(TYPE).withSource(source)
                .withSubject(version == null ? issue.modelId() : issue.modelId() + ":" + version.asText())
                .withTime(issue.detectedAt().atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json").withData(body).build();
    }

    @Override
    public void emit(IssueAlert alert) {
        if (!inFlight.tryAcquire()) {
            dropped.incrementAndGet();
            LOG.warnf("alert %s not delivered to %s: %d deliveries already under way", alert.header().messageId(),
                    target, inFlight.availablePermits());
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout);
        try {
            HttpMessageFactory.createWriter(request::header,
                    bytes -> request.POST(HttpRequest.BodyPublishers.ofByteArray(bytes))).writeBinary(event(alert));
            client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                inFlight.release();
                if (error == null && response.statusCode() / 100 == 2) {
                    delivered.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    LOG.warnf("alert %s not delivered to %s: %s", alert.header().messageId(), target,
                            error != null ? error.toString() : "HTTP " + response.statusCode());
                }
            });
        } catch (RuntimeException e) {
            inFlight.release();
            failed.incrementAndGet();
            LOG.warnf("alert %s not delivered to %s: %s", alert.header().messageId(), target, e.toString());
        }
    }

    public URI target() {
        return target;
    }

    public long delivered() {
        return delivered.get();
    }

    public long failed() {
        return failed.get();
    }

    public long dropped() {
        return dropped.get();
    }
}
