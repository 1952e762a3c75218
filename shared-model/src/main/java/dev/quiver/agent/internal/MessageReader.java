package dev.quiver.agent.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.agent.Acknowledgement;
import dev.quiver.agent.Action;
import dev.quiver.agent.DeploymentRequest;
import dev.quiver.agent.FeatureAvailability;
import dev.quiver.agent.FeatureRequest;
import dev.quiver.agent.Header;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Message;
import dev.quiver.agent.ModelDelivery;
import dev.quiver.agent.Severity;
import dev.quiver.agent.requirement.ModelFormat;
import dev.quiver.agent.requirement.RequirementText;
import dev.quiver.error.QuiverException;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a JSON tree into a {@link Message}, checking every field on the way; the first problem found is thrown
 * as a {@code BAD_INPUT} naming the field by its JSON path ({@code request.features[2]}). The rules are the
 * published schema's, plus what a schema cannot say (requirement strings that must parse, a readable base64).
 * Stateless and thread-safe.
 */
public final class MessageReader {

    /** The longest id (recipient, sender, message and correlation ids, model ids, versions, feature names). */
    public static final int MAX_ID_LENGTH = 256;
    /** The longest free text (an issue, an action, a summary, a reason, a requirement string). */
    public static final int MAX_TEXT_LENGTH = 4096;
    /** The most features one request or answer may list. */
    public static final int MAX_FEATURES = 1000;

    private static final List<String> HEADER = List.of("action", "recipient", "sender", "message_id",
            "correlation_id", "sent_at");
    private static final List<String> REQUEST_TOP = top("request");
    private static final List<String> ISSUE_TOP = top("issue");
    private static final List<String> DELIVERY_TOP = top("in_reply_to", "delivery");
    private static final List<String> AVAILABILITY_TOP = top("in_reply_to", "availability");
    private static final List<String> OUTCOME_TOP = top("in_reply_to", "outcome");
    private static final List<String> DEPLOYMENT_REQUEST = List.of("model_id", "model", "requirements");
    private static final List<String> REQUIREMENTS = List.of("latency", "throughput", "format");
    private static final List<String> FEATURE_REQUEST = List.of("features", "latency_requirement", "update_frequency",
            "model_id");
    private static final List<String> ISSUE = List.of("severity", "model_id", "issue", "detected_at", "action",
            "details");
    private static final List<String> DELIVERY = List.of("model_id", "version", "format", "sha256", "artifact");
    private static final List<String> MODEL = List.of("version", "format", "sha256", "artifact");
    private static final List<String> ARTIFACT = List.of("uri", "model_base64", "descriptor");
    private static final List<String> AVAILABILITY = List.of("features");
    private static final List<String> FEATURE = List.of("name", "status", "reason", "type", "freshness");
    private static final List<String> OUTCOME = List.of("status", "summary", "details");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NO_BLANKS = Pattern.compile("\\S+");
    // the schema's patterns, so that what the reader accepts the schema accepts too
    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern DURATION = Pattern.compile(
            "P(?=\\d|T\\d)(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d{1,9})?S)?)?");
    private static final Pattern URI_SHAPE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s#@/]*/[^\\s#]+");

    private MessageReader() {
    }

    /** Reads any message by its {@code action}; see {@link dev.quiver.agent.Messages#parse(JsonNode)}. */
    public static Message read(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw QuiverException.badInput(null, "a message must be a JSON object");
        }
        ObjectNode o = (ObjectNode) root;
        JsonNode a = o.get("action");
        if (a == null || a.isNull()) {
            throw QuiverException.badInput("action", "is required; known: " + String.join(", ", Action.wireNames()));
        }
        if (!a.isTextual()) {
            throw QuiverException.badInput("action", "must be a string; known: " + String.join(", ", Action.wireNames()));
        }
        Action action = Action.byWireName(a.textValue());
        if (action == null) {
            throw QuiverException.badInput("action", "is unknown: \"" + clip(a.textValue()) + "\"; known: "
                    + String.join(", ", Action.wireNames()));
        }
        return switch (action) {
            case MODEL_DEPLOYMENT_REQUEST -> deploymentRequest(o);
            case FEATURE_STORE_REQUEST -> featureRequest(o);
            case MODEL_ISSUE_ALERT -> issueAlert(o);
            case MODEL_DELIVERY -> modelDelivery(o);
            case FEATURE_AVAILABILITY -> featureAvailability(o);
            case ACKNOWLEDGEMENT -> acknowledgement(o);
        };
    }

    private static DeploymentRequest deploymentRequest(ObjectNode o) {
        known(o, "", REQUEST_TOP);
        Header header = header(o, true);
        ObjectNode r = object(o, "", "request", true);
        known(r, "request", DEPLOYMENT_REQUEST);
        String modelId = name(r, "request", "model_id", true);
        ObjectNode q = object(r, "request", "requirements", false);
        DeploymentRequest.Requirements requirements = null;
        if (q != null) {
            String path = "request.requirements";
            known(q, path, REQUIREMENTS);
            String latency = text(q, path, "latency", false, MAX_TEXT_LENGTH);
            String throughput = text(q, path, "throughput", false, MAX_TEXT_LENGTH);
            String format = text(q, path, "format", false, MAX_TEXT_LENGTH);
            if (latency != null) {
                RequirementText.latency(latency, path + ".latency");
            }
            if (throughput != null) {
                RequirementText.throughput(throughput, path + ".throughput");
            }
            if (format != null) {
                RequirementText.formats(format, path + ".format");
            }
            requirements = new DeploymentRequest.Requirements(latency, throughput, format);
        }
        ObjectNode m = object(r, "request", "model", false);
        ModelDelivery.Delivery model = null;
        if (m != null) {
            known(m, "request.model", MODEL);
            model = delivery(m, "request.model", modelId);
        }
        return new DeploymentRequest(header, new DeploymentRequest.Request(modelId, requirements, model));
    }

    private static FeatureRequest featureRequest(ObjectNode o) {
        known(o, "", REQUEST_TOP);
        Header header = header(o, true);
        ObjectNode r = object(o, "", "request", true);
        known(r, "request", FEATURE_REQUEST);
        List<String> features = featureNames(r, "request");
        String latency = text(r, "request", "latency_requirement", false, MAX_TEXT_LENGTH);
        if (latency != null) {
            RequirementText.latency(latency, "request.latency_requirement");
        }
        String frequency = text(r, "request", "update_frequency", false, MAX_TEXT_LENGTH);
        if (frequency != null) {
            RequirementText.updateFrequency(frequency, "request.update_frequency");
        }
        String modelId = name(r, "request", "model_id", false);
        return new FeatureRequest(header, new FeatureRequest.Request(features, latency, frequency, modelId));
    }

    private static IssueAlert issueAlert(ObjectNode o) {
        known(o, "", ISSUE_TOP);
        Header header = header(o, true);
        ObjectNode i = object(o, "", "issue", true);
        known(i, "issue", ISSUE);
        String s = text(i, "issue", "severity", true, MAX_ID_LENGTH);
        Severity severity = Severity.byWireName(s);
        if (severity == null) {
            throw QuiverException.badInput("issue.severity", "is unknown: \"" + clip(s) + "\"; known: "
                    + String.join(", ", Severity.wireNames()));
        }
        String modelId = name(i, "issue", "model_id", true);
        String issue = text(i, "issue", "issue", true, MAX_TEXT_LENGTH);
        Instant detectedAt = instant(i, "issue", "detected_at", true);
        String action = text(i, "issue", "action", false, MAX_TEXT_LENGTH);
        ObjectNode details = object(i, "issue", "details", false);
        return new IssueAlert(header, new IssueAlert.Issue(severity, modelId, issue, detectedAt, action, details));
    }

    private static ModelDelivery modelDelivery(ObjectNode o) {
        known(o, "", DELIVERY_TOP);
        Header header = header(o, false);
        String inReplyTo = id(o, "", "in_reply_to", true);
        ObjectNode d = object(o, "", "delivery", true);
        known(d, "delivery", DELIVERY);
        String modelId = name(d, "delivery", "model_id", true);
        return new ModelDelivery(header, inReplyTo, delivery(d, "delivery", modelId));
    }

    /** The model fields of a delivery or of a request carrying its model, at {@code at}. */
    private static ModelDelivery.Delivery delivery(ObjectNode d, String at, String modelId) {
        String version = name(d, at, "version", true);
        ModelFormat format = RequirementText.format(text(d, at, "format", true, MAX_ID_LENGTH),
                at + ".format");
        String sha256 = text(d, at, "sha256", true, MAX_ID_LENGTH);
        if (!SHA256.matcher(sha256).matches()) {
            throw QuiverException.badInput(at + ".sha256", "must be 64 lower-case hexadecimal digits");
        }
        ObjectNode a = object(d, at, "artifact", true);
        String path = at + ".artifact";
        known(a, path, ARTIFACT);
        String uri = text(a, path, "uri", false, MAX_TEXT_LENGTH);
        String base64 = text(a, path, "model_base64", false, Integer.MAX_VALUE);
        ObjectNode descriptor = object(a, path, "descriptor", false);
        if ((uri == null) == (base64 == null)) {
            throw QuiverException.badInput(path, "must have exactly one of uri and model_base64");
        }
        if (uri != null) {
            uri(uri, path + ".uri");
        } else {
            try {
                Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw QuiverException.badInput(path + ".model_base64", "is not standard base64: " + e.getMessage());
            }
            if (descriptor == null) {
                throw QuiverException.badInput(path + ".descriptor", "is required with model_base64");
            }
        }
        return new ModelDelivery.Delivery(modelId, version, format, sha256,
                new ModelDelivery.Artifact(uri, base64, descriptor));
    }

    private static FeatureAvailability featureAvailability(ObjectNode o) {
        known(o, "", AVAILABILITY_TOP);
        Header header = header(o, false);
        String inReplyTo = id(o, "", "in_reply_to", true);
        ObjectNode av = object(o, "", "availability", true);
        known(av, "availability", AVAILABILITY);
        JsonNode list = av.get("features");
        if (list == null || list.isNull()) {
            throw QuiverException.badInput("availability.features", "is required");
        }
        if (!list.isArray()) {
            throw QuiverException.badInput("availability.features", "must be an array of objects");
        }
        if (list.isEmpty()) {
            throw QuiverException.badInput("availability.features", "must name at least one feature");
        }
        if (list.size() > MAX_FEATURES) {
            throw QuiverException.badInput("availability.features", "must list at most " + MAX_FEATURES + " features");
        }
        List<FeatureAvailability.Feature> features = new ArrayList<>(list.size());
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < list.size(); k++) {
            String path = "availability.features[" + k + "]";
            JsonNode e = list.get(k);
            if (!e.isObject()) {
                throw QuiverException.badInput(path, "must be an object");
            }
            ObjectNode f = (ObjectNode) e;
            known(f, path, FEATURE);
            String name = featureName(f, path, "name");
            if (!seen.add(name)) {
                throw QuiverException.badInput(path + ".name", "repeats \"" + name + "\"");
            }
            String s = text(f, path, "status", true, MAX_ID_LENGTH);
            FeatureAvailability.Status status = switch (s) {
                case "available" -> FeatureAvailability.Status.AVAILABLE;
                case "missing" -> FeatureAvailability.Status.MISSING;
                default -> throw QuiverException.badInput(path + ".status",
                        "is unknown: \"" + clip(s) + "\"; known: available, missing");
            };
            String reason = text(f, path, "reason", status == FeatureAvailability.Status.MISSING, MAX_TEXT_LENGTH);
            String type = text(f, path, "type", false, MAX_ID_LENGTH);
            Duration freshness = null;
            String fresh = text(f, path, "freshness", false, MAX_ID_LENGTH);
            if (fresh != null) {
                if (!DURATION.matcher(fresh).matches()) {
                    throw QuiverException.badInput(path + ".freshness",
                            "must be an ISO-8601 duration such as \"PT15M\", was \"" + clip(fresh) + "\"");
                }
                try {
                    freshness = Duration.parse(fresh);
                } catch (DateTimeParseException ex) {
                    throw QuiverException.badInput(path + ".freshness",
                            "must be an ISO-8601 duration such as \"PT15M\", was \"" + clip(fresh) + "\"");
                }
                if (freshness.isNegative()) {
                    throw QuiverException.badInput(path + ".freshness", "must not be negative");
                }
            }
            features.add(new FeatureAvailability.Feature(name, status, reason, type, freshness));
        }
        return new FeatureAvailability(header, inReplyTo, new FeatureAvailability.Availability(features));
    }

    private static Acknowledgement acknowledgement(ObjectNode o) {
        known(o, "", OUTCOME_TOP);
        Header header = header(o, false);
        String inReplyTo = id(o, "", "in_reply_to", true);
        ObjectNode out = object(o, "", "outcome", true);
        known(out, "outcome", OUTCOME);
        String s = text(out, "outcome", "status", true, MAX_ID_LENGTH);
        Acknowledgement.Status status = null;
        for (Acknowledgement.Status candidate : Acknowledgement.Status.values()) {
            if (candidate.wireName().equals(s)) {
                status = candidate;
            }
        }
        if (status == null) {
            throw QuiverException.badInput("outcome.status", "is unknown: \"" + clip(s) + "\"; known: "
                    + String.join(", ", Arrays.stream(Acknowledgement.Status.values())
                    .map(Acknowledgement.Status::wireName).toList()));
        }
        String summary = text(out, "outcome", "summary", true, MAX_TEXT_LENGTH);
        ObjectNode details = object(out, "outcome", "details", false);
        return new Acknowledgement(header, inReplyTo, new Acknowledgement.Outcome(status, summary, details));
    }

    // ---- the pieces

    private static Header header(ObjectNode o, boolean recipientRequired) {
        String recipient = id(o, "", "recipient", recipientRequired);
        String sender = id(o, "", "sender", false);
        String messageId = id(o, "", "message_id", false);
        String correlationId = id(o, "", "correlation_id", !recipientRequired);
        Instant sentAt = instant(o, "", "sent_at", false);
        return new Header(recipient, sender, messageId, correlationId, sentAt);
    }

    /** The fields a message's top level may have: the header's and {@code body}. */
    private static List<String> top(String... body) {
        List<String> known = new ArrayList<>(HEADER);
        known.addAll(List.of(body));
        return List.copyOf(known);
    }

    /** Fails on the first field of {@code o} that is not one of {@code known}. */
    private static void known(ObjectNode o, String path, List<String> known) {
        Iterator<String> names = o.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!known.contains(n)) {
                throw QuiverException.badInput(join(path, n), "is not a known field; known: " + String.join(", ", known));
            }
        }
    }

    private static ObjectNode object(ObjectNode o, String path, String key, boolean required) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) {
            if (required) {
                throw QuiverException.badInput(join(path, key), "is required");
            }
            return null;
        }
        if (!n.isObject()) {
            throw QuiverException.badInput(join(path, key), "must be an object, was " + kind(n));
        }
        return (ObjectNode) n;
    }

    private static String text(ObjectNode o, String path, String key, boolean required, int maxLength) {
        JsonNode n = o.get(key);
        String field = join(path, key);
        if (n == null || n.isNull()) {
            if (required) {
                throw QuiverException.badInput(field, "is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw QuiverException.badInput(field, "must be a string, was " + kind(n));
        }
        String s = n.textValue();
        if (s.isBlank()) {
            throw QuiverException.badInput(field, "must not be blank");
        }
        if (s.length() > maxLength) {
            throw QuiverException.badInput(field, "must be at most " + maxLength + " characters, was " + s.length());
        }
        return s;
    }

    /** An id: a string without blanks, at most {@link #MAX_ID_LENGTH} characters. */
    private static String id(ObjectNode o, String path, String key, boolean required) {
        String s = text(o, path, key, required, MAX_ID_LENGTH);
        if (s != null && !NO_BLANKS.matcher(s).matches()) {
            throw QuiverException.badInput(join(path, key), "must not contain blanks, was \"" + s + "\"");
        }
        return s;
    }

    /** A model id or version: a name that can become a directory and a URL segment. */
    private static String name(ObjectNode o, String path, String key, boolean required) {
        String s = text(o, path, key, required, MAX_ID_LENGTH);
        if (s != null && (s.length() > 128 || !NAME.matcher(s).matches())) {
            throw QuiverException.badInput(join(path, key),
                    "must be 1 to 128 letters, digits, '.', '_' or '-', not starting with '.', was \"" + clip(s) + "\"");
        }
        return s;
    }

    private static String featureName(ObjectNode o, String path, String key) {
        String s = text(o, path, key, true, MAX_ID_LENGTH);
        if (!NO_BLANKS.matcher(s).matches()) {
            throw QuiverException.badInput(join(path, key), "must not contain blanks, was \"" + s + "\"");
        }
        return s;
    }

    private static List<String> featureNames(ObjectNode r, String path) {
        String field = join(path, "features");
        JsonNode list = r.get("features");
        if (list == null || list.isNull()) {
            throw QuiverException.badInput(field, "is required");
        }
        if (!list.isArray()) {
            throw QuiverException.badInput(field, "must be an array of strings, was " + kind(list));
        }
        if (list.isEmpty()) {
            throw QuiverException.badInput(field, "must name at least one feature");
        }
        if (list.size() > MAX_FEATURES) {
            throw QuiverException.badInput(field, "must name at most " + MAX_FEATURES + " features");
        }
        List<String> names = new ArrayList<>(list.size());
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < list.size(); k++) {
            JsonNode e = list.get(k);
            String at = field + "[" + k + "]";
            if (!e.isTextual()) {
                throw QuiverException.badInput(at, "must be a string, was " + kind(e));
            }
            String s = e.textValue();
            if (s.isEmpty() || s.length() > MAX_ID_LENGTH || !NO_BLANKS.matcher(s).matches()) {
                throw QuiverException.badInput(at, "must be 1 to " + MAX_ID_LENGTH + " characters without blanks");
            }
            if (!seen.add(s)) {
                throw QuiverException.badInput(at, "repeats \"" + s + "\"");
            }
            names.add(s);
        }
        return names;
    }

    /**
     * An ISO-8601 date and time with seconds and a zone offset, as RFC 3339 writes it ("2024-03-15T10:30:00Z",
     * "2024-03-15T11:30:00.5+01:00"), as an instant.
     */
    private static Instant instant(ObjectNode o, String path, String key, boolean required) {
        String s = text(o, path, key, required, MAX_ID_LENGTH);
        if (s == null) {
            return null;
        }
        try {
            if (!DATE_TIME.matcher(s).matches()) {
                throw new DateTimeParseException("not RFC 3339", s, 0);
            }
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw QuiverException.badInput(join(path, key), "must be an ISO-8601 date and time with an offset, such"
                    + " as \"2024-03-15T10:30:00Z\", was \"" + clip(s) + "\"");
        }
    }

    private static void uri(String s, String field) {
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw QuiverException.badInput(field, "is not a valid URI: " + e.getReason());
        }
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getRawPath() == null || uri.getRawPath().isEmpty()
                || uri.getRawPath().equals("/")) {
            throw QuiverException.badInput(field, "must be an absolute URI with a path, such as"
                    + " s3://bucket/model/3/model.onnx, was \"" + clip(s) + "\"");
        }
        if (!URI_SHAPE.matcher(s).matches()) {
            throw QuiverException.badInput(field, "must be scheme://authority/path, such as"
                    + " s3://bucket/model/3/model.onnx or file:///models/model.onnx, was \"" + clip(s) + "\"");
        }
        if (uri.getRawUserInfo() != null) {
            throw QuiverException.badInput(field, "must not carry user info (credentials)");
        }
        if (uri.getRawFragment() != null) {
            throw QuiverException.badInput(field, "must not have a fragment");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("file") && (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty())) {
            throw QuiverException.badInput(field, "must name a host or bucket, was \"" + clip(s) + "\"");
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> n.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    /** Quotes at most 80 characters of caller text in a reason. */
    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
