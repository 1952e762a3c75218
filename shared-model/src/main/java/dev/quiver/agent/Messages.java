package dev.quiver.agent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.agent.internal.MessageReader;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;

import java.io.IOException;

/**
 * Reads and writes the team's messages.
 *
 * <p>{@link #parse(String)} is the one way in: it reads any {@link Message} by its {@code action} and checks
 * it, failing on the first problem with a {@link QuiverException}:
 * <ul>
 *   <li>{@code TOO_LARGE} when the JSON is over the size limit ({@link #DEFAULT_MAX_BYTES} unless given);</li>
 *   <li>{@code BAD_INPUT} with no field when it is not JSON, has a key twice, or is not an object;</li>
 *   <li>{@code BAD_INPUT} on {@code action} when that is missing or unknown, listing the known actions;</li>
 *   <li>{@code BAD_INPUT} on the offending field's JSON path otherwise ({@code recipient},
 *       {@code request.requirements.latency}, {@code request.features[1]}, {@code issue.severity}), with a
 *       reason that quotes the offending text: a required field missing, a wrong type, a blank string, an
 *       unknown field (fields are closed everywhere but in {@code details} and {@code descriptor} objects), an
 *       unknown severity, a {@code detected_at} that is not an ISO-8601 date-time with an offset, an empty or
 *       repeated feature list, a requirement string that {@link dev.quiver.agent.requirement.RequirementText}
 *       cannot read, a malformed artifact URI or base64, a digest that is not SHA-256 hex.</li>
 * </ul>
 * The rules are those of the published JSON Schema {@value #SCHEMA_RESOURCE}, plus the reading of requirement
 * strings and base64, which a schema cannot express. A message that parses is also valid against the schema.
 *
 * <p>All methods are thread-safe; the readers and writers are built once.
 */
public final class Messages {

    /** The classpath resource of the JSON Schema (draft 2020-12) of every message. */
    public static final String SCHEMA_RESOURCE = "/schemas/quiver-agent-envelope.schema.json";

    /**
     * The largest message {@link #parse(String)} reads, in UTF-8 bytes: 8 MiB, room for a small model uploaded
     * in base64 (which grows it by a third). Larger models are delivered by URI.
     */
    public static final int DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectWriter WRITER = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private Messages() {
    }

    /** Reads and checks a message of at most {@link #DEFAULT_MAX_BYTES}. */
    public static Message parse(String json) {
        return parse(json, DEFAULT_MAX_BYTES);
    }

    /** Reads and checks a message of at most {@code maxBytes} UTF-8 bytes. */
    public static Message parse(String json, int maxBytes) {
        Check.required(json, "body");
        // a char is at most 3 UTF-8 bytes: count the bytes only when the length alone does not settle it
        if ((long) json.length() * 3 > maxBytes && utf8Length(json) > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try {
            return parse(READER.readTree(json));
        } catch (JsonProcessingException e) {
            throw notJson(e);
        }
    }

    /** Reads and checks a message given as UTF-8 bytes, of at most {@code maxBytes}. */
    public static Message parse(byte[] json, int maxBytes) {
        Check.required(json, "body");
        if (json.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try {
            return parse(READER.readTree(json));
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /**
     * Checks a message already read as a tree; the caller has bounded its size (the door's body limit).
     *
     * @return the record for its action: a {@link DeploymentRequest}, {@link FeatureRequest}, {@link IssueAlert},
     *         {@link ModelDelivery}, {@link FeatureAvailability} or {@link Acknowledgement}
     */
    public static Message parse(JsonNode json) {
        return MessageReader.read(json);
    }

    /** Reads a message that must be an envelope (not an answer); an answer fails on {@code action}. */
    public static Envelope parseEnvelope(String json) {
        Message m = parse(json);
        if (m instanceof Envelope e) {
            return e;
        }
        throw QuiverException.badInput("action", "must be an envelope (model_deployment_request,"
                + " feature_store_request, model_issue_alert), was " + m.action().wireName());
    }

    /**
     * Checks a message built in code by the rules {@link #parse} applies, so that what Quiver sends is what it
     * would accept; fails as {@link #parse} does.
     *
     * @return {@code message}
     */
    public static <M extends Message> M check(M message) {
        Check.required(message, "message");
        MessageReader.read(toTree(message));
        return message;
    }

    /** The model a message is about, or null when it names none (an answer about features, an acknowledgement). */
    public static String modelOf(Message m) {
        if (m instanceof DeploymentRequest r) {
            return r.request().modelId();
        }
        if (m instanceof FeatureRequest r) {
            return r.request().modelId();
        }
        if (m instanceof IssueAlert a) {
            return a.issue().modelId();
        }
        if (m instanceof ModelDelivery d) {
            return d.delivery().modelId();
        }
        return null;
    }

    /** The message as compact JSON, fields in the schema's order, absent optional fields left out. */
    public static String toJson(Message message) {
        try {
            return WRITER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a message record failed to serialise", e);
        }
    }

    /** The message as a JSON tree. */
    public static ObjectNode toTree(Message message) {
        return Json.MAPPER.valueToTree(message);
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static QuiverException tooLarge(int maxBytes) {
        return QuiverException.tooLarge(null, "a message must be at most " + maxBytes + " bytes");
    }

    private static QuiverException notJson(IOException e) {
        String where = e instanceof JsonProcessingException p && p.getLocation() != null
                ? " at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr() : "";
        String what = e instanceof JsonProcessingException p ? p.getOriginalMessage() : "unreadable";
        return QuiverException.badInput(null, "is not valid JSON" + where + ": " + what);
    }
}
