package dev.quiver.agent.function.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.agent.Answer;
import dev.quiver.agent.inbox.Door;
import dev.quiver.agent.inbox.Inbox;
import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import io.a2a.spec.Artifact;
import io.a2a.spec.CancelTaskResponse;
import io.a2a.spec.EventKind;
import io.a2a.spec.GetTaskResponse;
import io.a2a.spec.InternalError;
import io.a2a.spec.InvalidParamsError;
import io.a2a.spec.InvalidRequestError;
import io.a2a.spec.JSONParseError;
import io.a2a.spec.JSONRPCError;
import io.a2a.spec.JSONRPCErrorResponse;
import io.a2a.spec.JSONRPCResponse;
import io.a2a.spec.Message;
import io.a2a.spec.MessageSendParams;
import io.a2a.spec.MethodNotFoundError;
import io.a2a.spec.SendMessageResponse;
import io.a2a.spec.Task;
import io.a2a.spec.TaskIdParams;
import io.a2a.spec.TaskNotCancelableError;
import io.a2a.spec.TaskNotFoundError;
import io.a2a.spec.TaskQueryParams;
import io.a2a.spec.TaskState;
import io.a2a.spec.TaskStatus;
import io.a2a.spec.UnsupportedOperationError;
import io.a2a.util.Utils;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A2A JSON-RPC 2.0 over the agent's {@link Inbox}, on the A2A SDK's protocol types:
 * <ul>
 *   <li>{@code message/send}: the envelope in the message's data part (or a text part of its JSON) is handed to the
 *       inbox under the {@code traceparent} of the message metadata, whose span is continued. An immediate answer
 *       comes back as an agent message with the answer envelope as a data part; long work (a delivered model) as an
 *       A2A task, {@code working}, whose id is the agent's own task id. A message that does not read is an
 *       InvalidParams error (-32602) whose message and data name the envelope's field and the reason.</li>
 *   <li>{@code tasks/get}: the task as it stands; once finished (completed, rejected, failed) its final answer envelope
 *       is its artifact and its status message. {@code tasks/cancel} cancels a working task; a task not kept is
 *       TaskNotFound (-32001), a finished one TaskNotCancelable (-32002).</li>
 *   <li>Streaming and push notifications are not offered: UnsupportedOperation (-32004); other methods
 *       MethodNotFound (-32601).</li>
 * </ul>
 * Every answer is a JSON-RPC response, errors included; the HTTP status is the door's to choose. Safe from any thread;
 * blocks while the inbox acts on a message.
 */
@ApplicationScoped
public class A2aServer {

    private static final Logger LOG = Logger.getLogger(A2aServer.class);

    private static final Set<String> UNSUPPORTED = Set.of("message/stream", "tasks/resubscribe",
            "tasks/pushNotificationConfig/set", "tasks/pushNotificationConfig/get", "tasks/pushNotificationConfig/list",
            "tasks/pushNotificationConfig/delete", "agent/getAuthenticatedExtendedCard");

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    /** How many tasks' A2A context ids are remembered, as many as the task board keeps. */
    private static final int KEEP = 10_000;

    private final Inbox inbox;
    private final Tracer tracer;
    /** The A2A context id of each task started over A2A, by task id. */
    private final Map<String, String> contexts = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > KEEP;
        }
    });

    public A2aServer(Inbox inbox, Tracer tracer) {
        this.inbox = inbox;
        this.tracer = tracer;
    }

    /** Answers one JSON-RPC request (UTF-8 JSON) with its JSON-RPC response. */
    public String handle(byte[] body) {
        JsonNode request;
        try {
            request = Utils.OBJECT_MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return write(new JSONRPCErrorResponse(new JSONParseError("the body is not JSON: " + e.getOriginalMessage())));
        } catch (IOException e) {
            return write(new JSONRPCErrorResponse(new JSONParseError("the body cannot be read: " + e.getMessage())));
        }
        if (request == null || !request.isObject()) {
            return write(new JSONRPCErrorResponse(new InvalidRequestError("the body must be a JSON-RPC request object")));
        }
        Object id = id(request.get("id"));
        try {
            if (!"2.0".equals(request.path("jsonrpc").asText()) || !request.path("method").isTextual()) {
                throw new InvalidRequestError("a JSON-RPC 2.0 request needs \"jsonrpc\": \"2.0\" and a method");
            }
            String method = request.get("method").asText();
            if (UNSUPPORTED.contains(method)) {
                throw new UnsupportedOperationError(UnsupportedOperationError.DEFAULT_CODE, method
                        + " is not offered: this agent answers message/send, tasks/get and tasks/cancel", null);
            }
            return switch (method) {
                case "message/send" -> write(new SendMessageResponse(id, send(params(request,
                        MessageSendParams.class))));
                case "tasks/get" -> write(new GetTaskResponse(id, get(params(request, TaskQueryParams.class))));
                case "tasks/cancel" -> write(new CancelTaskResponse(id, cancel(params(request, TaskIdParams.class))));
                default -> throw new MethodNotFoundError(MethodNotFoundError.DEFAULT_CODE, "Method not found: "
                        + method, null);
            };
        } catch (JSONRPCError e) {
            return write(new JSONRPCErrorResponse(id, e));
        }
    }

    private EventKind send(MessageSendParams params) {
        Message message = params.message();
        EnvelopeParts.Found found = EnvelopeParts.find(message);
        if (found.envelope() instanceof ObjectNode o && !o.has("message_id") && message.getMessageId() != null) {
            // the A2A message id names the envelope, so a message sent again is recognised as a duplicate
            o.put("message_id", message.getMessageId());
        }
        SpanContext request = Span.current().getSpanContext();
        Context parent = parent(traceparent(params));
        SpanBuilder builder = tracer.spanBuilder("a2a message/send").setParent(parent)
                .setAttribute("quiver.agent.door", Door.A2A.wireName());
        if (request.isValid() && !Span.fromContext(parent).getSpanContext().equals(request)) {
            // the sender's trace is the parent; the HTTP request that carried the message stays linked
            builder.addLink(request);
        }
        Span span = builder.startSpan();
        try (Scope ignored = span.makeCurrent()) {
            Inbox.Reply reply;
            try {
                reply = Stages.join(inbox.receive(found.envelope(), Door.A2A, traceparent(span.getSpanContext())));
            } catch (QuiverException e) {
                throw error(e, found.at());
            } catch (RuntimeException e) {
                LOG.warnf(e, "message/send failed");
                throw new InternalError(InternalError.DEFAULT_CODE, "the agent could not act on the message: "
                        + e.getClass().getSimpleName(), null);
            }
            String context = message.getContextId() != null ? message.getContextId()
                    : reply.received().header().exchange();
            if (reply.task() != null) {
                contexts.put(reply.task().id(), context);
                return task(reply.task(), reply.answer());
            }
            return EnvelopeParts.agentMessage(reply.answer(), context, null);
        } finally {
            span.end();
        }
    }

    private Task get(TaskQueryParams params) {
        return inbox.tasks().get(params.id()).map(t -> task(t, null))
                .orElseThrow(() -> new TaskNotFoundError(TaskNotFoundError.DEFAULT_CODE, "no task " + params.id(),
                        null));
    }

    private Task cancel(TaskIdParams params) {
        try {
            return task(inbox.tasks().cancel(params.id()), null);
        } catch (QuiverException e) {
            if (e.kind() == QuiverException.Kind.NOT_FOUND) {
                throw new TaskNotFoundError(TaskNotFoundError.DEFAULT_CODE, e.reason(), null);
            }
            throw new TaskNotCancelableError(TaskNotCancelableError.DEFAULT_CODE, e.reason(), null);
        }
    }

    /** The agent's task as an A2A task: the answer it finished with is its artifact and its status message. */
    private Task task(dev.quiver.agent.task.Task t, Answer shown) {
        String context = contexts.getOrDefault(t.id(), t.correlationId() != null ? t.correlationId() : t.id());
        Answer said = t.answer() != null ? t.answer() : shown;
        TaskStatus status = new TaskStatus(state(t.state()), said == null ? null
                : EnvelopeParts.agentMessage(said, context, t.id()), t.updatedAt().atOffset(ZoneOffset.UTC));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("action", t.action());
        if (t.model() != null) {
            metadata.put("model", t.model());
        }
        if (t.messageId() != null) {
            metadata.put("message_id", t.messageId());
        }
        List<Artifact> artifacts = t.answer() == null ? List.of() : List.of(new Artifact.Builder()
                .artifactId(t.id() + "-answer").name(t.answer().action().wireName())
                .description("the envelope the task finished with").parts(EnvelopeParts.part(t.answer())).build());
        return new Task.Builder().id(t.id()).contextId(context).status(status).artifacts(artifacts)
                .metadata(metadata).build();
    }

    private static TaskState state(dev.quiver.agent.task.Task.State s) {
        return switch (s) {
            case SUBMITTED -> TaskState.SUBMITTED;
            case WORKING -> TaskState.WORKING;
            case COMPLETED -> TaskState.COMPLETED;
            case FAILED -> TaskState.FAILED;
            case CANCELED -> TaskState.CANCELED;
            case REJECTED -> TaskState.REJECTED;
        };
    }

    /** A refusal of the core's as a JSON-RPC error: the caller's mistakes are InvalidParams naming the field. */
    private static JSONRPCError error(QuiverException e, String at) {
        if (e.kind() == QuiverException.Kind.UNAVAILABLE) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("reason", e.reason());
            if (e.retryAfter() != null) {
                data.put("retry_after_seconds", e.retryAfter().toSeconds());
            }
            return new InternalError(InternalError.DEFAULT_CODE, "unavailable: " + e.reason(), data);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        if (e.field() != null) {
            data.put("field", e.field());
        }
        data.put("reason", e.reason());
        data.put("envelope", at);
        return new InvalidParamsError(InvalidParamsError.DEFAULT_CODE, e.getMessage(), data);
    }

    private static <T> T params(JsonNode request, Class<T> type) {
        JsonNode params = request.get("params");
        if (params == null || !params.isObject()) {
            throw EnvelopeParts.invalid("params", "is required, an object");
        }
        try {
            return Utils.OBJECT_MAPPER.treeToValue(params, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw EnvelopeParts.invalid("params", "does not read as " + type.getSimpleName() + ": " + why);
        }
    }

    private static Object id(JsonNode id) {
        if (id == null || id.isNull()) {
            return null;
        }
        return id.isIntegralNumber() && id.canConvertToInt() ? (Object) id.intValue() : id.asText();
    }

    private static String traceparent(MessageSendParams params) {
        Map<String, Object> m = params.message() == null ? null : params.message().getMetadata();
        Object t = m == null ? null : m.get("traceparent");
        if (t == null && params.metadata() != null) {
            t = params.metadata().get("traceparent");
        }
        return t instanceof String s ? s : null;
    }

    /** The context of the caller's span named by {@code traceparent}; the current one when it names none. */
    private static Context parent(String traceparent) {
        if (traceparent == null) {
            return Context.current();
        }
        Context extracted = W3CTraceContextPropagator.getInstance().extract(Context.current(),
                Map.of("traceparent", traceparent), GETTER);
        return Span.fromContext(extracted).getSpanContext().isValid() ? extracted : Context.current();
    }

    private static String traceparent(SpanContext c) {
        return c.isValid() ? "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex() : null;
    }

    private static String write(JSONRPCResponse<?> response) {
        try {
            return Utils.OBJECT_MAPPER.writeValueAsString(response);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON-RPC response", e);
        }
    }
}
