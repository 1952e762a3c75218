package dev.quiver.error;

/**
 * The one exception the core throws for anything a caller or an operator must act on.
 *
 * <p>Every instance carries a {@link Kind} that says whose fault it is and how an adapter should map it
 * (an HTTP status, a CloudEvent error reply, an SQS batch item failure), the {@code field} the problem is
 * about (a JSON path such as {@code rows[2].state}, or {@code null} when it is about the whole request) and
 * a human {@code reason}. Messages never contain stack traces or internal class names, so adapters may
 * pass {@link #getMessage()} to callers as is.
 */
public class QuiverException extends RuntimeException {

    /** What went wrong, from the caller's point of view. */
    public enum Kind {
        /** The request is malformed or names values the model cannot take (HTTP 400). */
        BAD_INPUT,
        /** The request carries no credential, or one that is not valid, where one is needed (HTTP 401). */
        UNAUTHENTICATED,
        /** The caller is known but lacks the role the request needs (HTTP 403). */
        FORBIDDEN,
        /** The body comes in a media type the door does not take (HTTP 415). */
        UNSUPPORTED_MEDIA_TYPE,
        /** The named model, version, alias or tensor does not exist (HTTP 404). */
        NOT_FOUND,
        /** The request is larger than the configured limits (HTTP 413). */
        TOO_LARGE,
        /** The request conflicts with the current state, for example a version that already exists (HTTP 409). */
        CONFLICT,
        /** An artifact offered for registration was refused: not ONNX, wrong checksum, schema mismatch (HTTP 422). */
        REJECTED,
        /** The service cannot answer now, for example no model loaded yet (HTTP 503). */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String field;
    private final String reason;
    private final java.time.Duration retryAfter;

    public QuiverException(Kind kind, String field, String reason) {
        this(kind, field, reason, null);
    }

    public QuiverException(Kind kind, String field, String reason, Throwable cause) {
        this(kind, field, reason, cause, null);
    }

    private QuiverException(Kind kind, String field, String reason, Throwable cause, java.time.Duration retryAfter) {
        super(field == null ? reason : field + ": " + reason, cause, false, false);
        this.kind = kind;
        this.field = field;
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public static QuiverException badInput(String field, String reason) {
        return new QuiverException(Kind.BAD_INPUT, field, reason);
    }

    public static QuiverException unauthenticated(String field, String reason) {
        return new QuiverException(Kind.UNAUTHENTICATED, field, reason);
    }

    public static QuiverException forbidden(String field, String reason) {
        return new QuiverException(Kind.FORBIDDEN, field, reason);
    }

    public static QuiverException unsupportedMediaType(String field, String reason) {
        return new QuiverException(Kind.UNSUPPORTED_MEDIA_TYPE, field, reason);
    }

    public static QuiverException notFound(String field, String reason) {
        return new QuiverException(Kind.NOT_FOUND, field, reason);
    }

    public static QuiverException tooLarge(String field, String reason) {
        return new QuiverException(Kind.TOO_LARGE, field, reason);
    }

    public static QuiverException conflict(String field, String reason) {
        return new QuiverException(Kind.CONFLICT, field, reason);
    }

    public static QuiverException rejected(String field, String reason) {
        return new QuiverException(Kind.REJECTED, field, reason);
    }

    public static QuiverException rejected(String field, String reason, Throwable cause) {
        return new QuiverException(Kind.REJECTED, field, reason, cause);
    }

    public static QuiverException unavailable(String reason) {
        return new QuiverException(Kind.UNAVAILABLE, null, reason);
    }

    /** UNAVAILABLE with a hint of when to try again (HTTP adapters send it as {@code Retry-After}). */
    public static QuiverException unavailable(String reason, java.time.Duration retryAfter, Throwable cause) {
        return new QuiverException(Kind.UNAVAILABLE, null, reason, cause, retryAfter);
    }

    public Kind kind() {
        return kind;
    }

    /** The JSON path of the offending value, or {@code null} when the problem concerns the whole request. */
    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }

    /** When the caller may try again, for UNAVAILABLE errors that know it; otherwise null. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }
}
