package dev.quiver.agent.function.a2a;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.agent.Answer;
import dev.quiver.agent.Messages;
import dev.quiver.json.Json;
import io.a2a.spec.Artifact;
import io.a2a.spec.DataPart;
import io.a2a.spec.EventKind;
import io.a2a.spec.InvalidParamsError;
import io.a2a.spec.Message;
import io.a2a.spec.Part;
import io.a2a.spec.Task;
import io.a2a.spec.TextPart;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The team's envelopes in A2A messages: an envelope travels as a message's data part; a text part holding the
 * envelope's JSON is read too, for clients that send only text.
 */
final class EnvelopeParts {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** An envelope found in a message, and where: {@code params.message.parts[0].data}. */
    record Found(JsonNode envelope, String at) {
    }

    private EnvelopeParts() {
    }

    /**
     * The envelope {@code message} carries: its first data part, else its first text part that reads as a JSON object.
     * Fails with InvalidParams (-32602) naming {@code params.message.parts} when it carries none.
     */
    static Found find(Message message) {
        if (message == null) {
            throw invalid("params.message", "is required: the A2A message whose data part holds the envelope");
        }
        List<Part<?>> parts = message.getParts();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof DataPart d) {
                return new Found(Json.MAPPER.valueToTree(d.getData()), "params.message.parts[" + i + "].data");
            }
        }
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof TextPart t) {
                Optional<JsonNode> json = object(t.getText());
                if (json.isPresent()) {
                    return new Found(json.get(), "params.message.parts[" + i + "].text");
                }
            }
        }
        throw invalid("params.message.parts", "holds no data part with a team envelope, nor a text part of its JSON");
    }

    /** The envelope in a peer's answer (a message's parts; a task's status message, then its artifacts), if any. */
    static Optional<JsonNode> inAnswer(EventKind answer) {
        List<Part<?>> parts = new ArrayList<>();
        if (answer instanceof Message m) {
            parts.addAll(m.getParts());
        } else if (answer instanceof Task t) {
            if (t.getStatus() != null && t.getStatus().message() != null) {
                parts.addAll(t.getStatus().message().getParts());
            }
            for (Artifact a : t.getArtifacts() == null ? List.<Artifact>of() : t.getArtifacts()) {
                parts.addAll(a.parts());
            }
        }
        for (Part<?> p : parts) {
            if (p instanceof DataPart d && d.getData().containsKey("action")) {
                return Optional.of(Json.MAPPER.valueToTree(d.getData()));
            }
            if (p instanceof TextPart t) {
                Optional<JsonNode> json = object(t.getText()).filter(j -> j.has("action"));
                if (json.isPresent()) {
                    return json;
                }
            }
        }
        return Optional.empty();
    }

    /** {@code answer} as a data part. */
    static DataPart part(dev.quiver.agent.Message answer) {
        return new DataPart(Json.MAPPER.convertValue(Messages.toTree(answer), MAP));
    }

    /** {@code envelope} (JSON) as a data part. */
    static DataPart part(JsonNode envelope) {
        return new DataPart(Json.MAPPER.convertValue(envelope, MAP));
    }

    /** The agent's message carrying {@code answer}, in {@code contextId} and, for a task's answer, {@code taskId}. */
    static Message agentMessage(Answer answer, String contextId, String taskId) {
        String id = answer.header().messageId() != null ? answer.header().messageId() : UUID.randomUUID().toString();
        return new Message.Builder().role(Message.Role.AGENT).parts(List.of(part(answer))).messageId(id)
                .contextId(contextId).taskId(taskId).build();
    }

    static InvalidParamsError invalid(String field, String reason) {
        return new InvalidParamsError(InvalidParamsError.DEFAULT_CODE, field + ": " + reason,
                Map.of("field", field, "reason", reason));
    }

    private static Optional<JsonNode> object(String text) {
        if (text == null || !text.stripLeading().startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode j = Json.MAPPER.readTree(text);
            return j != null && j.isObject() ? Optional.of(j) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
