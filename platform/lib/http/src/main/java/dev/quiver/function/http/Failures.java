package dev.quiver.function.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.quiver.error.QuiverException;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionException;
import java.lang.reflect.InvocationTargetException;

/**
 * Turns anything a request can fail with into a status and an {@link ErrorBody}: core errors by their kind,
 * JSON that does not parse or bind as 400 naming the path, and anything unexpected as a 500 whose body says
 * only that, with the details in the log.
 */
public final class Failures {

    private static final Logger LOG = Logger.getLogger(Failures.class);

    /**
     * A status and the body to send with it.
     *
     * @param retryAfterSeconds the {@code Retry-After} header to send with a 503, or 0 for none
     */
    public record Answer(int status, ErrorBody body, long retryAfterSeconds) {
        Answer(int status, ErrorBody body) {
            this(status, body, 0);
        }
    }

    /** A service that cannot answer now says when to retry; 1 s unless the failure knows better. */
    static final long DEFAULT_RETRY_AFTER_SECONDS = 1;

    private Failures() {
    }

    public static Answer of(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof QuiverException q) {
            long retry = 0;
            if (q.kind() == QuiverException.Kind.UNAVAILABLE) {
                retry = q.retryAfter() == null ? DEFAULT_RETRY_AFTER_SECONDS
                        : Math.max(1, (q.retryAfter().toMillis() + 999) / 1000);
            }
            return new Answer(ErrorBody.status(q.kind()), ErrorBody.of(q), retry);
        }
        if (t instanceof JsonProcessingException j) {
            return new Answer(400, json(j));
        }
        LOG.error("unexpected failure", t);
        return new Answer(500, ErrorBody.of(null, "internal error; see the function's log"));
    }

    /** Whether {@code failure} is a core error or JSON the caller sent wrong, which carry their own answer. */
    public static boolean isCallersFault(Throwable failure) {
        Throwable t = failure == null ? null : unwrap(failure);
        return t instanceof QuiverException || t instanceof JsonProcessingException;
    }

    /** The answer for a status a transport raised without an exception (a body too large, no such path). */
    public static Answer ofStatus(int status) {
        String reason = switch (status) {
            case 400 -> "malformed request: the body is not valid JSON of the expected shape";
            case 404 -> "no such resource";
            case 405 -> "method not allowed";
            case 413 -> "the request body is larger than the configured limit";
            case 415 -> "unsupported content type";
            default -> "request failed";
        };
        return new Answer(status, ErrorBody.of(status == 413 || status == 400 ? "body" : null, reason));
    }

    private static ErrorBody json(JsonProcessingException j) {
        if (j instanceof JsonParseException || j.getCause() instanceof JsonParseException) {
            JsonProcessingException p = j instanceof JsonParseException ? j : (JsonProcessingException) j.getCause();
            return ErrorBody.of("body", "malformed JSON: " + firstLine(p.getOriginalMessage()));
        }
        if (j instanceof UnrecognizedPropertyException u) {
            return ErrorBody.of(path(u), "unknown property");
        }
        if (j instanceof InvalidFormatException f) {
            return ErrorBody.of(path(f), "cannot read " + describe(f.getValue()) + " as " + f.getTargetType().getSimpleName());
        }
        if (j instanceof MismatchedInputException m) {
            Class<?> type = m.getTargetType();
            // an element of an array that is wrong is reported with the array's type
            if (type != null && type.isArray() && !m.getPath().isEmpty()
                    && m.getPath().get(m.getPath().size() - 1).getIndex() >= 0) {
                type = type.getComponentType();
            }
            return ErrorBody.of(path(m), "wrong type: expected " + describe(type));
        }
        if (j instanceof InvalidDefinitionException d) {
            return ErrorBody.of(path(d), "wrong type: expected " + describe(d.getType() == null ? null
                    : d.getType().getRawClass()));
        }
        if (j instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return ErrorBody.of(path(m), firstLine(j.getOriginalMessage()));
        }
        return ErrorBody.of("body", "malformed JSON: " + firstLine(j.getOriginalMessage()));
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "body" : sb.toString();
    }

    /** A type as a JSON caller knows it: an array, an object, an integer, a number, a string, true or false. */
    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == long.class || type == int.class || type == short.class || type == byte.class || type == Long.class
                || type == Integer.class || type == Short.class || type == Byte.class) {
            return "an integer";
        }
        if (type == double.class || type == float.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == char.class || type == Character.class) {
            return "a string";
        }
        return java.util.Map.class.isAssignableFrom(type) || type.isRecord() ? "an object" : type.getSimpleName();
    }

    private static String describe(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

    /** The first line of a parser message, without its "(for Array starting at [Source: ...])" tail. */
    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        for (String tail : new String[] {" (for ", " at [Source"}) {
            int at = line.indexOf(tail);
            if (at > 0) {
                line = line.substring(0, at);
            }
        }
        return line;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        for (int i = 0; i < 8 && cur != null; i++) {
            if (cur instanceof QuiverException || cur instanceof JsonProcessingException) {
                return cur;
            }
            if (cur instanceof CompletionException || cur instanceof InvocationTargetException
                    || cur.getClass().getName().startsWith("io.quarkus.funqy") || cur instanceof RuntimeException && cur.getCause() != null) {
                cur = cur.getCause();
            } else {
                break;
            }
        }
        return cur == null ? t : cur;
    }
}
