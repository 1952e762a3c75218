package dev.quiver.function.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quiver.error.QuiverException;

/**
 * The JSON body of every error this function returns, on every door: {@code error} is the whole message (the
 * Open Inference Protocol's error shape), {@code field} and {@code reason} split it for programs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String field, String reason) {

    public static ErrorBody of(QuiverException e) {
        return new ErrorBody(e.getMessage(), e.field(), e.reason());
    }

    public static ErrorBody of(String field, String reason) {
        return new ErrorBody(field == null ? reason : field + ": " + reason, field, reason);
    }

    /** The Open Inference Protocol's error body: only {@code error}, as its schema allows no other property. */
    public ErrorBody errorOnly() {
        return new ErrorBody(error, null, null);
    }

    /** The HTTP status for each kind of core error; the one place where that mapping lives. */
    public static int status(QuiverException.Kind kind) {
        return switch (kind) {
            case BAD_INPUT -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case REJECTED -> 422;
            case UNAVAILABLE -> 503;
        };
    }
}
