package dev.quiver.agent.requirement;

import dev.quiver.error.QuiverException;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers of the human requirement strings the team writes in envelopes.
 *
 * <p>Every parser takes the text and the JSON path of the field it came from, ignores case and surrounding
 * blanks, and either returns a value or throws a {@link QuiverException} of kind {@code BAD_INPUT} on that
 * field whose reason quotes the text and says what is understood. Null or blank text is an error too ("is
 * required"): callers decide beforehand whether a field is optional. The parsers are pure and thread-safe.
 */
public final class RequirementText {

    private RequirementText() {
    }

    private static final String NUMBER = "(\\d+(?:\\.\\d+)?|\\.\\d+)";
    private static final String PERCENTILE = "(p\\s*\\d+(?:\\.\\d+)?|median)";
    private static final String AT_MOST = "(?:<=|=<|<|≤|=|under|below|less\\s+than|at\\s+most|within|max(?:imum)?|up\\s+to)";
    private static final String TIME_UNIT = "(ns|nanos?(?:econds?)?|us|µs|μs|micros?(?:econds?)?|ms|msecs?|millis?(?:econds?)?"
            + "|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)";

    private static final Pattern LATENCY = Pattern.compile(
            "(?:" + PERCENTILE + "\\s*[:=]?\\s*)?(?:" + AT_MOST + "\\s*)?" + NUMBER + "\\s*" + TIME_UNIT
                    + "(?:\\s*[(,]?\\s*(?:at\\s+)?" + PERCENTILE + "\\s*\\)?)?");

    private static final Pattern REAL_TIME = Pattern.compile("real[\\s_-]?time");

    private static final Pattern THROUGHPUT = Pattern.compile(
            "(?:(?:>=|=>|>|≥|at\\s+least|min(?:imum)?|~)\\s*)?" + "(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?|\\.\\d+)"
                    + "\\s*([km])?\\s*(?:"
                    + "(rps|qps|rpm|qpm|rph)"
                    + "|(?:(?:req(?:uest)?s?|quer(?:y|ies)|calls?|predictions?|inferences?|messages?|msgs?)\\s*)?"
                    + "(?:/|per\\s+|an?\\s+)\\s*" + "(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)" + ")");

    private static final Pattern EVERY = Pattern.compile(
            "every\\s+(?:" + NUMBER + "\\s*)?" + "(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)");

    private static final Pattern BLANKS = Pattern.compile("\\s+");

    private static final Pattern FORMAT_SEPARATOR = Pattern.compile("\\s*(?:,\\s*(?:or|and)\\b|,|;|/|\\||\\bor\\b|\\band\\b)\\s*",
            Pattern.CASE_INSENSITIVE);

    /**
     * Reads a latency requirement: an optional percentile ("p99", "p99.9", "median"), an optional comparison
     * ("&lt;", "&lt;=", "under", "at most", ...), a number and a time unit (ns, us, ms, s, min, h, spelled short or
     * long), optionally followed by the percentile instead ("100 ms p95", "100ms (p95)"); or "real-time", which
     * is {@link LatencyBound#REAL_TIME}; or an ISO-8601 duration ("PT0.1S"). A requirement that names no
     * percentile is read at {@link LatencyBound#DEFAULT_PERCENTILE}. A number without a unit is an error (is
     * "100" milliseconds or seconds?), and so is a zero bound.
     *
     * <p>Examples: "&lt; 100ms", "&lt;= 100 ms", "p99 &lt;= 0.1 s", "100ms", "under 1 s", "real-time".
     */
    public static LatencyBound latency(String text, String field) {
        String t = normalized(text, field);
        if (REAL_TIME.matcher(t).matches()) {
            return LatencyBound.REAL_TIME;
        }
        if (t.startsWith("pt")) {
            return new LatencyBound(LatencyBound.DEFAULT_PERCENTILE, positive(isoDuration(text, field), text, field));
        }
        Matcher m = LATENCY.matcher(t);
        if (!m.matches() || (m.group(1) != null && m.group(4) != null)) {
            throw unreadable(field, text, "a latency such as \"< 100ms\", \"p99 <= 0.1 s\", \"under 1 s\" or \"real-time\"");
        }
        String p = m.group(1) != null ? m.group(1) : m.group(4);
        double percentile = p == null ? LatencyBound.DEFAULT_PERCENTILE : percentile(p, text, field);
        Duration bound = positive(duration(new BigDecimal(m.group(2)), m.group(3)), text, field);
        return new LatencyBound(percentile, bound);
    }

    /**
     * Reads a throughput requirement as requests per second: a number (thousands may be grouped with ','),
     * an optional multiplier 'k' (thousand) or 'm' (million), and a rate: "rps", "qps", "rpm", or an optional
     * noun ("req", "requests", "queries", "calls", "predictions", ...) then "/" or "per" and a time unit (s, min,
     * h). An optional "&gt;=" or "at least" may lead. Zero is an error.
     *
     * <p>Examples: "1000 req/s" is 1000, "60k/min" is 1000, "1.5k rps" is 1500, "100 per second" is 100.
     */
    public static double throughput(String text, String field) {
        String t = normalized(text, field);
        Matcher m = THROUGHPUT.matcher(t);
        if (!m.matches()) {
            throw unreadable(field, text, "a rate such as \"1000 req/s\", \"60k/min\", \"1.5k rps\" or \"100 per second\"");
        }
        double n = Double.parseDouble(m.group(1).replace(",", ""));
        if (m.group(2) != null) {
            n *= m.group(2).equals("k") ? 1e3 : 1e6;
        }
        double seconds;
        if (m.group(3) != null) {
            seconds = switch (m.group(3)) {
                case "rpm", "qpm" -> 60;
                case "rph" -> 3600;
                default -> 1;
            };
        } else {
            seconds = switch (m.group(4).charAt(0)) {
                case 's' -> 1;
                case 'm' -> 60;
                default -> 3600;
            };
        }
        double perSecond = n / seconds;
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw QuiverException.badInput(field, "must be a positive rate, was \"" + text + "\"");
        }
        return perSecond;
    }

    /**
     * Reads a list of acceptable formats, most preferred first, separated by ',', ';', '/', '|', "or", "and", ", or" or ", and"
     * ("ONNX or TensorRT", "ONNX, TensorRT", "onnx"). Names are read by {@link ModelFormat#byName}; a name
     * given twice counts once, where it first appears. An unknown name is an error that lists the known ones.
     *
     * @return the formats in the order given; never empty
     */
    public static List<ModelFormat> formats(String text, String field) {
        normalized(text, field);
        String[] names = FORMAT_SEPARATOR.split(text.strip(), -1);
        Set<ModelFormat> formats = new LinkedHashSet<>();
        for (String name : names) {
            if (name.isBlank()) {
                throw QuiverException.badInput(field, "has an empty format name in \"" + text + "\"");
            }
            formats.add(format(name, text, field));
        }
        return List.copyOf(new ArrayList<>(formats));
    }

    /** Reads one format name, as {@link #formats} reads each of its names. */
    public static ModelFormat format(String text, String field) {
        return format(normalized(text, field), text, field);
    }

    private static ModelFormat format(String name, String text, String field) {
        ModelFormat f = ModelFormat.byName(name);
        if (f == null) {
            throw QuiverException.badInput(field, "names an unknown model format \"" + name.strip() + "\" in \""
                    + text + "\"; known: " + String.join(", ", ModelFormat.knownNames()));
        }
        return f;
    }

    /**
     * Reads how often something is updated, as the interval between updates: "hourly", "daily", "weekly",
     * "minutely", "every minute", "every 15 minutes", "every 2 h", or an ISO-8601 duration ("PT1H", "P1D").
     * "real-time", "streaming" and "continuous" mean updates as events arrive, read as {@link Duration#ZERO};
     * any other zero or negative interval is an error.
     */
    public static Duration updateFrequency(String text, String field) {
        String t = normalized(text, field);
        if (REAL_TIME.matcher(t).matches() || t.equals("streaming") || t.equals("continuous")
                || t.equals("continuously")) {
            return Duration.ZERO;
        }
        switch (t) {
            case "minutely":
                return Duration.ofMinutes(1);
            case "hourly":
                return Duration.ofHours(1);
            case "daily", "nightly":
                return Duration.ofDays(1);
            case "weekly":
                return Duration.ofDays(7);
            default:
                break;
        }
        if (t.startsWith("p")) {
            return positive(isoDuration(text, field), text, field);
        }
        Matcher m = EVERY.matcher(t);
        if (!m.matches()) {
            throw unreadable(field, text,
                    "a frequency such as \"hourly\", \"daily\", \"every 15 minutes\" or \"PT1H\"");
        }
        BigDecimal n = m.group(1) == null ? BigDecimal.ONE : new BigDecimal(m.group(1));
        return positive(duration(n, m.group(2)), text, field);
    }

    private static String normalized(String text, String field) {
        if (text == null || text.isBlank()) {
            throw QuiverException.badInput(field, "is required");
        }
        return BLANKS.matcher(text.strip().toLowerCase(Locale.ROOT)).replaceAll(" ");
    }

    private static double percentile(String p, String text, String field) {
        if (p.equals("median")) {
            return 50;
        }
        double v = Double.parseDouble(p.substring(1).strip());
        if (!(v > 0 && v <= 100)) {
            throw QuiverException.badInput(field, "names a percentile outside (0, 100] in \"" + text + "\"");
        }
        return v;
    }

    private static Duration duration(BigDecimal amount, String unit) {
        long nanosPerUnit = switch (unit) {
            case "ns", "nano", "nanos", "nanosecond", "nanoseconds" -> 1L;
            case "us", "µs", "μs", "micro", "micros", "microsecond", "microseconds" -> 1_000L;
            case "ms", "msec", "msecs", "milli", "millis", "millisecond", "milliseconds" -> 1_000_000L;
            case "s", "sec", "secs", "second", "seconds" -> 1_000_000_000L;
            case "m", "min", "mins", "minute", "minutes" -> 60_000_000_000L;
            case "h", "hr", "hrs", "hour", "hours" -> 3_600_000_000_000L;
            case "d", "day", "days" -> 86_400_000_000_000L;
            case "w", "week", "weeks" -> 604_800_000_000_000L;
            default -> throw new IllegalArgumentException(unit);
        };
        BigDecimal nanos = amount.multiply(BigDecimal.valueOf(nanosPerUnit));
        // bounds beyond ~292 years of nanoseconds are not requirements anyone means; clamp rather than overflow
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return Duration.ofNanos(Long.MAX_VALUE);
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static Duration isoDuration(String text, String field) {
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw QuiverException.badInput(field, "is not a readable ISO-8601 duration: \"" + text + "\"");
        }
    }

    private static Duration positive(Duration d, String text, String field) {
        if (d.isZero() || d.isNegative()) {
            throw QuiverException.badInput(field, "must be a positive duration, was \"" + text + "\"");
        }
        return d;
    }

    private static QuiverException unreadable(String field, String text, String expected) {
        return QuiverException.badInput(field, "cannot be read: \"" + text + "\"; expected " + expected);
    }
}
