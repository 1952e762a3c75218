package dev.quiver.agent.function.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.agent.Message;
import dev.quiver.agent.Messages;
import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.agent.function.AgentConfig;
import dev.quiver.agent.function.ChannelCourier;
import dev.quiver.agent.inbox.Door;
import dev.quiver.agent.inbox.Inbox;
import dev.quiver.agent.outbox.Outgoing;
import dev.quiver.json.Json;
import io.a2a.client.transport.jsonrpc.JSONRPCTransport;
import io.a2a.client.transport.spi.interceptors.ClientCallContext;
import io.a2a.spec.EventKind;
import io.a2a.spec.MessageSendConfiguration;
import io.a2a.spec.MessageSendParams;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Carries an envelope to an agent reached over A2A, with the A2A Java SDK's JSON-RPC client: {@code message/send} to
 * the agent directory's {@code a2a} URL, used as the JSON-RPC endpoint, of a user message whose one data part is the
 * envelope, whose {@code messageId} is the envelope's {@code message_id} (so the peer can de-duplicate) and
 * {@code contextId} its exchange, with the W3C {@code traceparent} in the message metadata; non-blocking, so a peer
 * that starts long work answers with its task at once. Delivered when the peer answers with a message or a task;
 * a JSON-RPC error, an HTTP failure or no answer within {@code quiver.agent.outbox.timeout} fails the delivery, and
 * the outbox tries again. An envelope in the peer's answer (an acknowledgement, a delivered model) is handed to the
 * {@link Inbox} as an A2A message, so it is acted on and audited.
 */
@ApplicationScoped
public class A2aCourier implements ChannelCourier {

    private static final Logger LOG = Logger.getLogger(A2aCourier.class);
    private static final List<String> JSON = List.of("application/json");

    private final Duration timeout;
    private final ClientCallContext context;
    private final Instance<Inbox> inbox;
    private final Map<String, JSONRPCTransport> transports = new ConcurrentHashMap<>();
    /** The SDK's HTTP client blocks; each delivery waits on one of these threads, interrupted at the timeout above. */
    private final ExecutorService calls;

    public A2aCourier(AgentConfig config, A2aConfig a2a, Instance<Inbox> inbox) {
        this.timeout = config.outbox().timeout();
        this.context = new ClientCallContext(Map.of(), a2a.apiKey().map(k -> Map.of("Authorization", "Bearer " + k))
                .orElse(Map.of()));
        this.inbox = inbox;
        AtomicInteger n = new AtomicInteger();
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "a2a-courier-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public AgentDirectory.Channel channel() {
        return AgentDirectory.Channel.A2A;
    }

    /** The A2A message {@code envelope} travels as, under {@code traceparent} (null: none). */
    static io.a2a.spec.Message message(Message envelope, JsonNode body, String traceparent) {
        String id = envelope.header().messageId() != null ? envelope.header().messageId()
                : UUID.randomUUID().toString();
        return new io.a2a.spec.Message.Builder().role(io.a2a.spec.Message.Role.USER)
                .parts(List.of(EnvelopeParts.part(body))).messageId(id).contextId(envelope.header().exchange())
                .metadata(traceparent == null ? Map.of() : Map.of("traceparent", traceparent)).build();
    }

    @Override
    public CompletionStage<Void> deliver(Outgoing message, AgentDirectory.Agent recipient) {
        Message envelope = Messages.parse(message.body());
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(message.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MessageSendParams params = new MessageSendParams(message(envelope, body, message.traceparent()),
                new MessageSendConfiguration.Builder().acceptedOutputModes(JSON).blocking(false).build(), null);
        String url = recipient.a2a();
        JSONRPCTransport transport = transports.computeIfAbsent(url, JSONRPCTransport::new);
        CompletableFuture<EventKind> answer = new CompletableFuture<>();
        Future<?> call = calls.submit(() -> {
            try {
                answer.complete(transport.sendMessage(params, context));
            } catch (RuntimeException e) {
                answer.completeExceptionally(new IllegalStateException("message/send to " + url + " failed: "
                        + e.getMessage(), e));
            }
        });
        return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((a, failure) -> {
            if (failure != null) {
                // the SDK's HTTP client sets no timeout of its own: interrupting the call ends its request
                call.cancel(true);
            }
        }).thenAccept(a -> handBack(a, message, url));
    }

    /** Hands an envelope in the peer's answer to the inbox; an answer that does not read is logged, not retried. */
    private void handBack(EventKind answer, Outgoing sent, String url) {
        if (answer == null) {
            throw new IllegalStateException(url + " answered neither a message nor a task");
        }
        EnvelopeParts.inAnswer(answer).ifPresent(envelope -> {
            try {
                inbox.get().receive(envelope, Door.A2A, sent.traceparent()).whenComplete((reply, failure) -> {
                    if (failure != null) {
                        LOG.warnf("the answer of %s to %s was not acted on: %s", sent.recipient(), sent.id(),
                                failure.getMessage());
                    }
                });
            } catch (RuntimeException e) {
                LOG.warnf("the answer of %s to %s does not read: %s", sent.recipient(), sent.id(), e.getMessage());
            }
        });
    }

    void close(@Observes ShutdownEvent event) {
        calls.shutdownNow();
        transports.clear();
    }
}
