package dev.quiver.agent.function.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.agent.Answer;
import dev.quiver.agent.Messages;
import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.agent.inbox.DeadLetter;
import dev.quiver.agent.inbox.Door;
import dev.quiver.agent.inbox.Inbox;
import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import dev.quiver.json.Json;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The messaging door: each record of {@value #IN} (topic {@code quiver.agent.in}) is an envelope as UTF-8 JSON, handed
 * to the {@link Inbox} under the W3C trace context of its {@code traceparent} header, and answered on
 * {@value #ANSWERS} (topic {@code quiver.agent.answers}) keyed by the answer's correlation id, with the headers
 * {@code traceparent} (the door's span, in the sender's trace) and {@code quiver-action}.
 *
 * <p>Nothing read is dropped. A record that is not a valid message is answered with an {@code error} object naming
 * the problem and the record (see {@link #errorAnswer}), and the door goes on with the next. A message whose action
 * fails is retried and dead-lettered by the inbox, and answered {@code failed}. A record the door cannot act on for a
 * reason not the sender's is answered with an {@code error} and published on the dead-letter topic. A record is
 * acknowledged only once its answer is with the broker; when the answer cannot be sent, the record is not
 * acknowledged and the channel stops, so it is read again after a restart.
 *
 * <p>Records are handled concurrently in {@link KafkaDoorConfig#lanes()} lanes: records of one key share a lane and
 * are handled in order; at most {@link KafkaDoorConfig#maxInFlight()} are in hand at once.
 */
@ApplicationScoped
public class KafkaDoor {

    static final String IN = "agent-in";
    static final String ANSWERS = "agent-answers";

    private static final Logger LOG = Logger.getLogger(KafkaDoor.class);

    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private final Inbox inbox;
    private final Tracer tracer;
    private final Emitter<byte[]> answers;
    private final DeadLetterTopic deadLetters;
    private final String self;
    private final int tries;
    private final int maxInFlight;
    private final CompletableFuture<?>[] lanes;
    private final ExecutorService workers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger unkeyed = new AtomicInteger();

    public KafkaDoor(Inbox inbox, Tracer tracer,
                     @Channel(ANSWERS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                     Emitter<byte[]> answers, DeadLetterTopic deadLetters,
                     AgentDirectory team, KafkaDoorConfig config) {
        this.inbox = inbox;
        this.tracer = tracer;
        this.answers = answers;
        this.deadLetters = deadLetters;
        this.self = team.self().id();
        this.tries = Math.max(1, config.answerTries());
        this.maxInFlight = Math.max(1, config.maxInFlight());
        this.lanes = new CompletableFuture<?>[Math.max(1, config.lanes())];
        Arrays.fill(lanes, CompletableFuture.completedFuture(null));
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(lanes.length, r -> {
            Thread t = new Thread(r, "quiver-kafka-door-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Takes one record into its lane. The returned stage completes at once while fewer than the most records are in
     * hand, so that the connector reads on; otherwise when this record is done.
     */
    @Incoming(IN)
    public CompletionStage<Void> receive(Message<byte[]> record) {
        IncomingKafkaRecordMetadata<?, ?> meta = record.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        Object key = meta == null ? null : meta.getKey();
        int lane = Math.floorMod(key != null ? key.hashCode() : unkeyed.incrementAndGet(), lanes.length);
        inFlight.incrementAndGet();
        CompletableFuture<Void> done;
        synchronized (lanes) {
            done = lanes[lane].handle((v, f) -> null).thenComposeAsync(v -> handle(record, meta), workers);
            lanes[lane] = done;
        }
        done.whenComplete((v, f) -> inFlight.decrementAndGet());
        return inFlight.get() > maxInFlight ? done.handle((v, f) -> null) : CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Void> handle(Message<byte[]> record, IncomingKafkaRecordMetadata<?, ?> meta) {
        String incoming = meta == null ? null : header(meta, "traceparent");
        Context parent = incoming == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), incoming, TRACEPARENT);
        Span span = tracer.spanBuilder("agent-in receive").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", meta == null ? IN : meta.getTopic())
                .startSpan();
        String traceparent = traceparent(span.getSpanContext());
        CompletableFuture<Answering> outcome;
        try (Scope ignored = span.makeCurrent()) {
            outcome = Stages.call(() -> inbox.receive(record.getPayload(), Door.KAFKA, traceparent))
                    .toCompletableFuture()
                    .handle((reply, failure) -> failure == null ? answered(reply.answer())
                            : refused(record.getPayload(), meta, Stages.cause(failure), traceparent));
        }
        return outcome.thenCompose(o -> o.deadLetter == null ? CompletableFuture.<Void>completedFuture(null)
                        : deadLetters.publish(o.deadLetter, traceparent))
                .thenCompose(v -> outcome.join().sendTo(answers, traceparent, tries))
                .handle((v, failure) -> {
                    span.end();
                    if (failure == null) {
                        return record.ack();
                    }
                    LOG.errorf("answer to %s not sent after %d tries, the record is not acknowledged: %s",
                            where(meta), tries, Stages.cause(failure).getMessage());
                    return record.nack(Stages.cause(failure));
                })
                .thenCompose(s -> s.toCompletableFuture());
    }

    /** What one record is answered with, and the dead letter it leaves, or null. */
    private record Answering(String key, String action, byte[] body, DeadLetter deadLetter) {

        CompletableFuture<Void> sendTo(Emitter<byte[]> emitter, String traceparent, int tries) {
            CompletableFuture<Void> sent = KafkaSend.send(emitter, null, key, body,
                    Map.of("traceparent", traceparent, "quiver-action", action));
            return tries <= 1 ? sent : sent.handle((v, f) -> f == null ? CompletableFuture.<Void>completedFuture(null)
                    : sendTo(emitter, traceparent, tries - 1)).thenCompose(s -> s);
        }
    }

    private static Answering answered(Answer answer) {
        return new Answering(answer.header().correlationId(), answer.action().wireName(),
                Messages.toJson(answer).getBytes(StandardCharsets.UTF_8), null);
    }

    private Answering refused(byte[] payload, IncomingKafkaRecordMetadata<?, ?> meta, RuntimeException cause,
                            String traceparent) {
        JsonNode read = readLeniently(payload);
        String messageId = text(read, "message_id");
        String exchange = text(read, "correlation_id") != null ? text(read, "correlation_id") : messageId;
        Object recordKey = meta == null ? null : meta.getKey();
        String key = exchange != null ? exchange : recordKey != null ? recordKey.toString() : where(meta);
        ObjectNode error = errorAnswer(self, messageId, exchange, cause, meta);
        DeadLetter letter = null;
        if (!(cause instanceof QuiverException)) {
            LOG.warnf("%s not handled: %s", where(meta), cause.toString());
            letter = new DeadLetter(Instant.now(), messageId, text(read, "action"),
                    "not handled at " + where(meta) + ": " + cause.getMessage(),
                    new String(payload, StandardCharsets.UTF_8));
        }
        return new Answering(key, "error", error.toString().getBytes(StandardCharsets.UTF_8), letter);
    }

    /**
     * The answer to a record that was not acted on:
     * <pre>{@code
     * {"action": "error", "sender": "quiver_ml_engineer", "in_reply_to": "<message_id, when it read>",
     *  "correlation_id": "<its correlation_id or message_id, when it read>",
     *  "error": {"kind": "bad_input", "field": "request.features", "reason": "is required"},
     *  "record": {"topic": "quiver.agent.in", "partition": 0, "offset": 41, "key": "<record key or null>"}}
     * }</pre>
     * {@code kind} is {@code bad_input} (and the other kinds of the sender's making: {@code not_found},
     * {@code conflict}, {@code too_large}, ...) or {@code internal} for a failure of the agent's own, which is
     * dead-lettered too; {@code field} is absent when the problem is the whole record.
     */
    static ObjectNode errorAnswer(String self, String messageId, String exchange, RuntimeException cause,
                                  IncomingKafkaRecordMetadata<?, ?> meta) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("action", "error").put("sender", self);
        if (messageId != null) {
            out.put("in_reply_to", messageId);
        }
        if (exchange != null) {
            out.put("correlation_id", exchange);
        }
        ObjectNode error = out.putObject("error");
        if (cause instanceof QuiverException q) {
            error.put("kind", q.kind().name().toLowerCase(Locale.ROOT));
            if (q.field() != null) {
                error.put("field", q.field());
            }
            error.put("reason", q.reason());
        } else {
            error.put("kind", "internal").put("reason", "the agent could not act on this record; it is dead-lettered");
        }
        if (meta != null) {
            ObjectNode r = out.putObject("record").put("topic", meta.getTopic()).put("partition", meta.getPartition())
                    .put("offset", meta.getOffset());
            r.put("key", meta.getKey() == null ? null : meta.getKey().toString());
        }
        return out;
    }

    private static JsonNode readLeniently(byte[] payload) {
        try {
            JsonNode n = Json.MAPPER.readTree(payload);
            return n != null && n.isObject() ? n : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static String header(IncomingKafkaRecordMetadata<?, ?> meta, String name) {
        Header h = meta.getHeaders().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String where(IncomingKafkaRecordMetadata<?, ?> meta) {
        return meta == null ? IN : meta.getTopic() + "-" + meta.getPartition() + "@" + meta.getOffset();
    }

    private static String traceparent(SpanContext c) {
        return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
    }

    @PreDestroy
    void stop() {
        workers.shutdown();
    }
}
