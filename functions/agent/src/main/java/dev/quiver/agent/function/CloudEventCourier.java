package dev.quiver.agent.function;

import dev.quiver.agent.Message;
import dev.quiver.agent.Messages;
import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.agent.outbox.Outgoing;
import dev.quiver.wiring.team.CloudEventTeamSink;
import io.cloudevents.http.HttpMessageFactory;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Carries an envelope to an agent reached by a CloudEvent sink (a Knative broker, an HTTP receiver): a binary-mode
 * CloudEvent whose {@code ce-type} is the action, {@code ce-id} the message id (so the receiver can de-duplicate),
 * {@code ce-subject} the model, with the envelope as the JSON body and the W3C {@code traceparent} header. Delivered
 * when the sink answers 2xx.
 */
@ApplicationScoped
public class CloudEventCourier implements ChannelCourier {

    private final URI source;
    private final Duration timeout;
    private final HttpClient http;

    public CloudEventCourier(AgentConfig config, AgentDirectory team) {
        this.source = URI.create("/quiver/agent/" + team.self().id());
        this.timeout = config.outbox().timeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public AgentDirectory.Channel channel() {
        return AgentDirectory.Channel.CLOUDEVENT;
    }

    @Override
    public CompletionStage<Void> deliver(Outgoing message, AgentDirectory.Agent recipient) {
        Message m = Messages.parse(message.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(recipient.cloudevent())).timeout(timeout);
        if (message.traceparent() != null) {
            request.header("traceparent", message.traceparent());
        }
        HttpMessageFactory.createWriter(request::header,
                bytes -> request.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)))
                .writeBinary(CloudEventTeamSink.event(m, message.body(), source));
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).thenCompose(r ->
                r.statusCode() / 100 == 2 ? CompletableFuture.<Void>completedStage(null)
                        : CompletableFuture.failedStage(new IllegalStateException(recipient.cloudevent()
                        + " answered HTTP " + r.statusCode())));
    }
}
