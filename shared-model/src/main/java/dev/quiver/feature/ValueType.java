package dev.quiver.feature;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.quiver.error.QuiverException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;

/**
 * The scalar types a feature or a join key can have, numbered as Feast's {@code ValueType.Enum} numbers them.
 *
 * <p>Values live in Java as one canonical class per type: INT32 {@link Integer}, INT64 {@link Long}, FLOAT
 * {@link Float}, DOUBLE {@link Double}, STRING {@link String}, BOOL {@link Boolean}, BYTES {@code byte[]},
 * UNIX_TIMESTAMP {@link Long} seconds since the epoch. {@link #coerce} maps a decoded JSON value onto that class
 * or fails naming the field; {@link #parse} does the same for text (CSV cells).
 */
public enum ValueType {
    BYTES(1), STRING(2), INT32(3), INT64(4), DOUBLE(5), FLOAT(6), BOOL(7), UNIX_TIMESTAMP(8);

    private final int feastNumber;

    ValueType(int feastNumber) {
        this.feastNumber = feastNumber;
    }

    /** The number Feast's {@code ValueType.Enum} gives this type. */
    public int feastNumber() {
        return feastNumber;
    }

    @JsonValue
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ValueType of(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown value type '" + name + "'; known: int32, int64, float, double,"
                    + " string, bool, bytes, unix_timestamp");
        }
    }

    /** Whether values of this type can be entity join keys (as in Feast: strings, bytes and integers). */
    public boolean canBeKey() {
        return this == STRING || this == BYTES || this == INT32 || this == INT64 || this == UNIX_TIMESTAMP;
    }

    /**
     * The canonical value of {@code v}, a value as JSON decodes it; null stays null.
     *
     * @throws QuiverException BAD_INPUT on {@code field} when {@code v} does not fit this type
     */
    public Object coerce(Object v, String field) {
        if (v == null) {
            return null;
        }
        return switch (this) {
            case INT32 -> (int) integral(v, field, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT64 -> integral(v, field, Long.MIN_VALUE, Long.MAX_VALUE);
            case UNIX_TIMESTAMP -> v instanceof String s ? instant(s, field).getEpochSecond()
                    : integral(v, field, Long.MIN_VALUE, Long.MAX_VALUE);
            case DOUBLE -> real(v, field);
            case FLOAT -> {
                double d = real(v, field);
                if (Float.isInfinite((float) d)) {
                    throw QuiverException.badInput(field, d + " is outside the range of a 32-bit float");
                }
                yield (float) d;
            }
            case STRING -> {
                if (!(v instanceof String s)) {
                    throw QuiverException.badInput(field, "must be a string");
                }
                yield s;
            }
            case BOOL -> {
                if (!(v instanceof Boolean b)) {
                    throw QuiverException.badInput(field, "must be true or false");
                }
                yield b;
            }
            case BYTES -> {
                if (v instanceof byte[] b) {
                    yield b;
                }
                if (!(v instanceof String s)) {
                    throw QuiverException.badInput(field, "must be a base64 string");
                }
                try {
                    yield Base64.getDecoder().decode(s);
                } catch (IllegalArgumentException e) {
                    throw QuiverException.badInput(field, "must be a base64 string");
                }
            }
        };
    }

    /** The canonical value of a text cell (a CSV field); an empty cell is null. */
    public Object parse(String text, String field) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return switch (this) {
            case STRING, BYTES -> coerce(text, field);
            case BOOL -> switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw QuiverException.badInput(field, "must be true or false, not '" + text + "'");
            };
            case UNIX_TIMESTAMP -> text.chars().allMatch(c -> c == '-' || Character.isDigit(c))
                    ? coerce(number(text, field), field) : instant(text, field).getEpochSecond();
            default -> coerce(number(text, field), field);
        };
    }

    private static Number number(String text, String field) {
        String t = text.trim();
        if (isSmallInteger(t)) {
            // most values of a batch source are integers that fit a long: parsed without a BigDecimal
            return Long.parseLong(t);
        }
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw QuiverException.badInput(field, "must be a number, not '" + text + "'");
        }
    }

    /** Digits, with a leading minus or none, few enough (18) that {@link Long#parseLong} cannot overflow. */
    private static boolean isSmallInteger(String t) {
        int from = t.startsWith("-") ? 1 : 0;
        if (t.length() <= from || t.length() - from > 18) {
            return false;
        }
        for (int i = from; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long integral(Object v, String field, long min, long max) {
        if (!(v instanceof Number n)) {
            throw QuiverException.badInput(field, v instanceof String ? "must be an integer, not a string" : "must be an integer");
        }
        BigInteger i;
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            long l = n.longValue();
            if (l < min || l > max) {
                throw QuiverException.badInput(field, l + " is out of range [" + min + ", " + max + "]");
            }
            return l;
        }
        try {
            i = (n instanceof BigDecimal d ? d : new BigDecimal(n.toString())).toBigIntegerExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw QuiverException.badInput(field, "must be an integer, not " + n);
        }
        if (i.compareTo(BigInteger.valueOf(min)) < 0 || i.compareTo(BigInteger.valueOf(max)) > 0) {
            throw QuiverException.badInput(field, i + " is out of range [" + min + ", " + max + "]");
        }
        return i.longValue();
    }

    private static double real(Object v, String field) {
        if (!(v instanceof Number n)) {
            throw QuiverException.badInput(field, v instanceof String ? "must be a number, not a string" : "must be a number");
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
            throw QuiverException.badInput(field, "must be a finite number, not " + d);
        }
        return d;
    }

    /**
     * An instant from the forms Feast clients send: ISO-8601 with a zone ({@code 2022-05-13T10:59:42Z},
     * {@code +00:00}), pandas' space-separated form, or a local date-time read as UTC, as Feast reads it.
     */
    /** The last text {@link #instant} parsed: the rows of a batch source mostly share their timestamps. */
    private static volatile Parsed lastInstant = new Parsed("", Instant.EPOCH);

    /** A text and its instant; a class, not a record, as nothing ever serializes it. */
    private static final class Parsed {
        final String text;
        final Instant at;

        Parsed(String text, Instant at) {
            this.text = text;
            this.at = at;
        }
    }

    static Instant instant(String s, String field) {
        Parsed last = lastInstant;
        if (last.text.equals(s)) {
            return last.at;
        }
        Instant at = parseInstant(s, field);
        lastInstant = new Parsed(s, at);
        return at;
    }

    private static Instant parseInstant(String s, String field) {
        String t = s.trim().replace(' ', 'T');
        try {
            return java.time.OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDateTime.parse(t).toInstant(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw QuiverException.badInput(field, "must be a timestamp such as 2022-05-13T10:59:42Z, not '" + s + "'");
            }
        }
    }
}
