package dev.quiver.features.online;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.quiver.feature.FeatureStatus;
import dev.quiver.feature.OnlineFeaturesResponse;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@code get-online-features} answer as Feast's Python server does, straight to the generator:
 * {@code {"metadata":{"feature_names":[...]},"results":[{"values":[...],"statuses":[...],"event_timestamps":[...]}]}}.
 * Values are bare JSON (a {@code float} as the double it widens to, bytes as base64), statuses their names,
 * timestamps RFC 3339 in UTC with a {@code Z} and 0, 3, 6 or 9 fractional digits, exactly as
 * {@link Instant#toString()} writes them for years 1970 to 9999.
 *
 * <p>Why not Jackson's bean serializers: a read of 100 entities × 19 features has 1,900 event timestamps, and
 * formatting each through {@code java.time} cost about 0.5 ms, most of the answer's time. All features of one
 * view and entity share their row's {@link Instant}, so each distinct instant is formatted once per answer (by
 * equality: rows that a store decoded one by one, as Redis's are, often hold the same time) with a plain
 * digit writer, and doubles go through Jackson's fast (Schubfach) writer.
 */
public final class OnlineFeaturesJson extends StdSerializer<OnlineFeaturesResponse> {

    private static final SerializableString METADATA = new SerializedString("metadata");
    private static final SerializableString FEATURE_NAMES = new SerializedString("feature_names");
    private static final SerializableString RESULTS = new SerializedString("results");
    private static final SerializableString VALUES = new SerializedString("values");
    private static final SerializableString STATUSES = new SerializedString("statuses");
    private static final SerializableString EVENT_TIMESTAMPS = new SerializedString("event_timestamps");
    private static final SerializableString[] STATUS_NAMES = statusNames();
    private static final SerializableString EPOCH = new SerializedString(Instant.EPOCH.toString());
    /** 9999-12-31T23:59:59Z, the last second {@link #rfc3339} writes itself. */
    private static final long LAST_FOUR_DIGIT_YEAR_SECOND = 253_402_300_799L;

    public OnlineFeaturesJson() {
        super(OnlineFeaturesResponse.class);
    }

    @Override
    public void serialize(OnlineFeaturesResponse response, JsonGenerator gen, SerializerProvider provider)
            throws IOException {
        gen.enable(JsonGenerator.Feature.USE_FAST_DOUBLE_WRITER);
        gen.writeStartObject();
        gen.writeFieldName(METADATA);
        gen.writeStartObject();
        gen.writeFieldName(FEATURE_NAMES);
        List<String> names = response.metadata().featureNames();
        gen.writeStartArray(names, names.size());
        for (String name : names) {
            gen.writeString(name);
        }
        gen.writeEndArray();
        gen.writeEndObject();

        gen.writeFieldName(RESULTS);
        List<OnlineFeaturesResponse.FeatureVector> results = response.results();
        gen.writeStartArray(results, results.size());
        Map<Instant, SerializableString> times = new HashMap<>();
        for (OnlineFeaturesResponse.FeatureVector column : results) {
            gen.writeStartObject();
            gen.writeFieldName(VALUES);
            gen.writeStartArray();
            for (Object v : column.values()) {
                value(v, gen, provider);
            }
            gen.writeEndArray();
            gen.writeFieldName(STATUSES);
            gen.writeStartArray();
            for (FeatureStatus s : column.statuses()) {
                gen.writeString(STATUS_NAMES[s.ordinal()]);
            }
            gen.writeEndArray();
            gen.writeFieldName(EVENT_TIMESTAMPS);
            gen.writeStartArray();
            for (Instant t : column.eventTimestamps()) {
                gen.writeString(t.equals(Instant.EPOCH) ? EPOCH : times.computeIfAbsent(t, i -> new SerializedString(rfc3339(i))));
            }
            gen.writeEndArray();
            gen.writeEndObject();
        }
        gen.writeEndArray();
        gen.writeEndObject();
    }

    /** A canonical feature value (see {@link dev.quiver.feature.ValueType}) as Feast's JSON renders it. */
    private static void value(Object v, JsonGenerator gen, SerializerProvider provider) throws IOException {
        if (v == null) {
            gen.writeNull();
        } else if (v instanceof String s) {
            gen.writeString(s);
        } else if (v instanceof Double d) {
            gen.writeNumber(d);
        } else if (v instanceof Long l) {
            gen.writeNumber(l);
        } else if (v instanceof Integer i) {
            gen.writeNumber(i);
        } else if (v instanceof Float f) {
            // Python widens a float32 to a double before printing it: 0.7037263512611389, not 0.70372635
            gen.writeNumber(f.doubleValue());
        } else if (v instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (v instanceof byte[] b) {
            gen.writeBinary(b);
        } else {
            provider.defaultSerializeValue(v, gen);
        }
    }

    /** {@link Instant#toString()}'s text, without {@code java.time}'s formatter for the common years. */
    static String rfc3339(Instant t) {
        long seconds = t.getEpochSecond();
        if (seconds < 0 || seconds > LAST_FOUR_DIGIT_YEAR_SECOND) {
            return t.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(seconds / 86_400);
        int secondOfDay = (int) (seconds % 86_400);
        int nano = t.getNano();
        char[] c = new char[30];
        digits(c, 0, date.getYear(), 4);
        c[4] = '-';
        digits(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, secondOfDay / 3600, 2);
        c[13] = ':';
        digits(c, 14, secondOfDay / 60 % 60, 2);
        c[16] = ':';
        digits(c, 17, secondOfDay % 60, 2);
        int end = 19;
        if (nano != 0) {
            c[end++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(c, end, nano / 1_000_000, 3);
                end += 3;
            } else if (nano % 1_000 == 0) {
                digits(c, end, nano / 1_000, 6);
                end += 6;
            } else {
                digits(c, end, nano, 9);
                end += 9;
            }
        }
        c[end++] = 'Z';
        return new String(c, 0, end);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static SerializableString[] statusNames() {
        FeatureStatus[] all = FeatureStatus.values();
        SerializableString[] names = new SerializableString[all.length];
        for (FeatureStatus s : all) {
            names[s.ordinal()] = new SerializedString(s.name());
        }
        return names;
    }
}
