package dev.quiver.redis.feast;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code feast.types.ZonedTimestamp} (epoch seconds and a zone name) as the text Feast's feature server answers for
 * it: {@code datetime.fromtimestamp(seconds, tz=zone).isoformat()} (feast-dev/feast
 * {@code sdk/python/feast/feature_server_utils.py}, {@code _zoned_timestamp_to_str}), for example
 * {@code 2023-11-14T14:13:20-08:00}.
 *
 * <p>The zone is resolved as Feast's {@code type_map._zone_from_name} resolves it: empty is UTC; an IANA name is that
 * zone; otherwise {@code UTC} or {@code GMT}, or an offset {@code [UTC|GMT]±HH[:]MM} after trimming whitespace, is
 * that fixed offset; anything else is UTC (Feast logs a warning). Offsets are written {@code ±HH:MM}, with
 * {@code :SS} when they have seconds (local mean times), {@code +00:00} for UTC, as Python writes them.
 */
final class ZonedTimestampText {

    /** Feast's null timestamp, {@code np.datetime64("NaT").astype(int)}: it reads back as None. */
    static final long NULL_TIMESTAMP = Long.MIN_VALUE;
    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the seconds a Python {@code datetime} can hold. */
    private static final long FIRST_SECOND = -62_135_596_800L;
    private static final long LAST_SECOND = 253_402_300_799L;
    /** type_map._fixed_offset_from_name's pattern, matched against the whole trimmed zone. */
    private static final Pattern FIXED_OFFSET = Pattern.compile("(?:UTC|GMT)?([+-])(\\d{2}):?(\\d{2})");
    /** Names that java.time reads as offsets but Python's ZoneInfo does not know: they take Feast's offset route. */
    private static final Pattern OFFSET_LIKE = Pattern.compile("^(?:UTC|GMT|UT)?[+-].*", Pattern.DOTALL);

    private ZonedTimestampText() {
    }

    /**
     * The text of {@code seconds} in {@code zone}; null for Feast's null timestamp.
     *
     * @throws Undecodable where Python's {@code datetime} refuses it: a time outside years 1 to 9999 in UTC or in
     *                     the zone, or an offset of a day or more
     */
    static String of(long seconds, String zone) throws Undecodable {
        if (seconds == NULL_TIMESTAMP) {
            return null;
        }
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            throw new Undecodable("zoned_timestamp_val " + seconds + " is outside years 1 to 9999");
        }
        int offset = offsetSeconds(seconds, zone);
        long local = seconds + offset;
        if (local < FIRST_SECOND || local > LAST_SECOND) {
            throw new Undecodable("zoned_timestamp_val " + seconds + " is outside years 1 to 9999 in its zone");
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(local, 0, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(32);
        digits(text, t.getYear(), 4).append('-');
        digits(text, t.getMonthValue(), 2).append('-');
        digits(text, t.getDayOfMonth(), 2).append('T');
        digits(text, t.getHour(), 2).append(':');
        digits(text, t.getMinute(), 2).append(':');
        digits(text, t.getSecond(), 2);
        int abs = Math.abs(offset);
        text.append(offset < 0 ? '-' : '+');
        digits(text, abs / 3600, 2).append(':');
        digits(text, abs / 60 % 60, 2);
        if (abs % 60 != 0) {
            digits(text.append(':'), abs % 60, 2);
        }
        return text.toString();
    }

    /** The zone's offset from UTC at {@code seconds}, resolved as Feast resolves the name (see the class comment). */
    private static int offsetSeconds(long seconds, String zone) throws Undecodable {
        if (zone.isEmpty()) {
            return 0;
        }
        if (!OFFSET_LIKE.matcher(zone).matches()) {
            try {
                return ZoneId.of(zone).getRules().getOffset(Instant.ofEpochSecond(seconds)).getTotalSeconds();
            } catch (DateTimeException notAZoneName) {
                // as ZoneInfo(zone) fails in Python: try it as an offset
            }
        }
        String text = zone.strip();
        if (text.equals("UTC") || text.equals("GMT")) {
            return 0;
        }
        Matcher m = FIXED_OFFSET.matcher(text);
        if (!m.matches()) {
            return 0;
        }
        int offset = (Integer.parseInt(m.group(2)) * 60 + Integer.parseInt(m.group(3))) * 60;
        if (offset >= 86_400) {
            // Python's timezone() takes offsets strictly within a day
            throw new Undecodable("zoned_timestamp_val zone '" + text + "' is an offset of a day or more");
        }
        return m.group(1).equals("-") ? -offset : offset;
    }

    private static StringBuilder digits(StringBuilder text, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            text.append('0');
        }
        return text.append(s);
    }
}
