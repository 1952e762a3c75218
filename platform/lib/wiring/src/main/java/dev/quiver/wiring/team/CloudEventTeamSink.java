package dev.quiver.wiring.team;

import dev.quiver.agent.Envelope;
import dev.quiver.agent.FeatureRequest;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Message;
import dev.quiver.agent.Messages;
import dev.quiver.team.TeamChannel;
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
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers envelopes to an HTTP endpoint as CloudEvents in binary mode: the envelope is the JSON body,
 * {@code ce-type} its action ({@code model_issue_alert}, {@code model_deployment_request},
 * {@code feature_store_request}), {@code ce-id} its message id (so a receiver can de-duplicate), {@code ce-subject}
 * the model it is about (an alert's as {@code name:version}; a feature request's model, or its first feature when it
 * names none), {@code ce-time} its {@code sent_at}. Delivery is asynchronous and bounded: the caller (a rollback, a
 * prediction) never waits, a slow or dead receiver costs at most {@code maxInFlight} pending requests, and every
 * outcome is counted.
 */
public final class CloudEventTeamSink implements TeamChannel {

    private static final Logger LOG = Logger.getLogger(CloudEventTeamSink.class);

    private final URI target;
    private final URI source;
    private final Duration timeout;
    private final HttpClient client;
    private final Semaphore inFlight;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private final Optional<String> apiKey;

    /** @param apiKey a bearer token for the sink (the agent function's API key), or empty */
    public CloudEventTeamSink(URI target, String source, Duration timeout, int maxInFlight, Optional<String> apiKey) {
        this.target = target;
        this.apiKey = apiKey.filter(k -> !k.isBlank());
        this.source = URI.create(source);
        this.timeout = timeout;
        this.inFlight = new Semaphore(maxInFlight);
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The CloudEvent an envelope travels as. */
    public CloudEvent event(Envelope envelope) {
        return event(envelope, Messages.toJson(envelope), source);
    }

    /**
     * The CloudEvent any of the team's messages travels as, in binary mode: {@code ce-type} its action, {@code ce-id}
     * its message id (so a receiver can de-duplicate), {@code ce-subject} the model ({@code model:version} for an
     * alert naming its version), {@code ce-time} when it was sent, and {@code body}, the message as JSON, as data.
     */
    public static CloudEvent event(Message message, String body, URI source) {
        CloudEventBuilder event = CloudEventBuilder.v1().withId(message.header().messageId())
                .withType(message.action().wireName()).withSource(source).withSubject(subject(message))
                .withDataContentType("application/json").withData(body.getBytes(StandardCharsets.UTF_8));
        if (message.header().sentAt() != null) {
            event.withTime(message.header().sentAt().atOffset(ZoneOffset.UTC));
        }
        return event.build();
    }

    private static String subject(Message message) {
        if (message instanceof IssueAlert alert) {
            IssueAlert.Issue issue = alert.issue();
            var version = issue.details() == null ? null : issue.details().get("version");
            return version == null ? issue.modelId() : issue.modelId() + ":" + version.asText();
        }
        if (message instanceof FeatureRequest request && request.request().modelId() == null) {
            return request.request().features().get(0);
        }
        return Messages.modelOf(message);
    }

    @Override
    public void send(Envelope envelope) {
        String id = envelope.header().messageId();
        String type = envelope.action().wireName();
        if (!inFlight.tryAcquire()) {
            dropped.incrementAndGet();
            LOG.warnf("%s %s not delivered to %s: %d deliveries already under way", type, id, target,
                    inFlight.availablePermits());
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout);
        apiKey.ifPresent(k -> request.header("Authorization", "Bearer " + k));
        // the envelope goes on in the trace of what raised it (a drift evaluation, a rollback)
        Traceparents.current().ifPresent(t -> request.header("traceparent", t));
        try {
            HttpMessageFactory.createWriter(request::header,
                    bytes -> request.POST(HttpRequest.BodyPublishers.ofByteArray(bytes))).writeBinary(event(envelope));
            client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                inFlight.release();
                if (error == null && response.statusCode() / 100 == 2) {
                    delivered.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    LOG.warnf("%s %s not delivered to %s: %s", type, id, target,
                            error != null ? error.toString() : "HTTP " + response.statusCode());
                }
            });
        } catch (RuntimeException e) {
            inFlight.release();
            failed.incrementAndGet();
            LOG.warnf("%s %s not delivered to %s: %s", type, id, target, e.toString());
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
