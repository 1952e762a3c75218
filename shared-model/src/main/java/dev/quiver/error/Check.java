package dev.quiver.error;

/**
 * Precondition checks that fail with a {@link QuiverException} of kind {@code BAD_INPUT}, so that callers
 * validate through one helper rather than scattered ifs.
 */
public final class Check {

    private Check() {
    }

    /** Fails with {@code BAD_INPUT} on {@code field} when {@code condition} is false. */
    public static void that(boolean condition, String field, String reason) {
        if (!condition) {
            throw QuiverException.badInput(field, reason);
        }
    }

    /** Returns {@code value}, or fails with "is required" on {@code field} when it is null or blank. */
    public static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw QuiverException.badInput(field, "is required");
        }
        return value;
    }

    /** Returns {@code value}, or fails with "is required" on {@code field} when it is null. */
    public static <T> T required(T value, String field) {
        if (value == null) {
            throw QuiverException.badInput(field, "is required");
        }
        return value;
    }

    /** Names that become directory names and URL segments: letters, digits, '.', '_' and '-', not starting with '.'. */
    public static String name(String value, String field) {
        required(value, field);
        if (value.length() > 128 || !value.matches("[A-Za-z0-9_][A-Za-z0-9._-]*")) {
            throw QuiverException.badInput(field,
                    "must be 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'");
        }
        return value;
    }
}
