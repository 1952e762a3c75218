package dev.quiver.redis.feast;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.quiver.feature.StoredRow;
import dev.quiver.feature.ValueType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Protobuf codec of the two messages Feast stores in Redis: {@code feast.types.Value} (one feature value) and
 * {@code google.protobuf.Timestamp} (a view's event time), byte for byte as protobuf's own serializer writes them.
 *
 * <p>Encoding writes the scalar types Quiver has ({@link ValueType}); a null value is the empty Value (zero bytes),
 * which is what Feast's {@code python_values_to_proto_values} produces for {@code None}.
 *
 * <p>Decoding reads every member of the {@code oneof val} of feast-dev/feast {@code protos/feast/types/Value.proto}
 * (commit f0bc0700be70, Feast 0.65; members were only ever added, never renumbered) to the Java value whose JSON is
 * what Feast's feature server answers for it ({@code feature_server_utils._value_to_native}):
 * <table>
 *   <caption>Value members and what they decode to</caption>
 *   <tr><th>field</th><th>members</th><th>Java value</th></tr>
 *   <tr><td>1 to 8</td><td>{@code bytes_val string_val int32_val int64_val double_val float_val bool_val
 *   unix_timestamp_val}</td><td>{@code byte[] String Integer Long Double Float Boolean}, and {@code Long} epoch
 *   seconds</td></tr>
 *   <tr><td>11 to 18, 22 to 29</td><td>{@code bytes_list_val ... unix_timestamp_list_val}, {@code bytes_set_val ...
 *   unix_timestamp_set_val}</td><td>a {@code List}, a {@code Set}, of the scalars above</td></tr>
 *   <tr><td>19</td><td>{@code null_val}</td><td>null</td></tr>
 *   <tr><td>20, 34</td><td>{@code map_val struct_val}</td><td>{@code Map<String, Object>} of decoded Values</td></tr>
 *   <tr><td>21, 35</td><td>{@code map_list_val struct_list_val}</td><td>a {@code List} of such maps</td></tr>
 *   <tr><td>32, 33</td><td>{@code json_val json_list_val}</td><td>the JSON text as stored, a {@code String} (a
 *   {@code List} of them), as Feast's server answers it</td></tr>
 *   <tr><td>36 to 41</td><td>{@code uuid_val time_uuid_val}, their lists and sets</td><td>the canonical text
 *   ({@code 8-4-4-4-12}, lower case) of the uuid Python's {@code uuid.UUID} reads in the stored text</td></tr>
 *   <tr><td>42, 43</td><td>{@code list_val set_val}</td><td>a {@code List}, a {@code Set}, of decoded Values</td></tr>
 *   <tr><td>44 to 46</td><td>{@code decimal_val decimal_list_val decimal_set_val}</td><td>the decimal text as stored
 *   ({@code str(Decimal)}, which may be {@code NaN} or {@code Infinity}, beyond {@code BigDecimal})</td></tr>
 *   <tr><td>47</td><td>{@code scalar_map_val}</td><td>{@code Map<Object, Object>}: keys as the scalars above
 *   ({@code Integer Long Float Double Boolean}, {@code Long} epoch seconds, {@code byte[]}, uuid and decimal
 *   text), values decoded Values</td></tr>
 *   <tr><td>48</td><td>{@code zoned_timestamp_val}</td><td>ISO 8601 text in its zone, as
 *   {@code datetime.isoformat()} writes it; null for Feast's null timestamp</td></tr>
 * </table>
 * Collections are unmodifiable, in stored order; sets keep the first of equal elements. The empty Value and
 * {@code null_val} decode to null.
 *
 * <p>Bytes that are not such a Value decode to {@link StoredRow#INVALID}, never to an exception: malformed protobuf
 * (cut short, an over-long varint, a length beyond the bytes, text that is not UTF-8, wire types 6 and 7), a field of
 * {@code Value} this codec does not know (a member of a newer Feast, or a number Feast never used), a known field of
 * the wrong wire type, Values nested more than {@value #MAX_DEPTH} deep, or a member Feast's own conversion refuses
 * (a uuid that is none, a zoned timestamp outside years 1 to 9999). Inside the messages that a member holds (lists,
 * map entries, {@code ZonedTimestamp}), unknown fields are skipped, as protobuf skips them.
 */
public final class FeastValues {

    private static final byte[] EMPTY = new byte[0];
    /** How deep Values may nest: protobuf's parsers stop at 100 messages, two for each level of Values. */
    static final int MAX_DEPTH = 50;

    private FeastValues() {
    }

    /**
     * The serialized Value of a canonical {@code value} of {@code type} (see {@link ValueType}); zero bytes for null.
     *
     * @throws ClassCastException when {@code value} is not of the canonical class of {@code type}
     */
    public static byte[] encode(ValueType type, Object value) {
        if (value == null) {
            return EMPTY;
        }
        int field = fieldOf(type);
        int size = switch (type) {
            case BYTES -> CodedOutputStream.computeByteArraySize(field, (byte[]) value);
            case STRING -> CodedOutputStream.computeStringSize(field, (String) value);
            case INT32 -> CodedOutputStream.computeInt32Size(field, (Integer) value);
            case INT64, UNIX_TIMESTAMP -> CodedOutputStream.computeInt64Size(field, (Long) value);
            case DOUBLE -> CodedOutputStream.computeDoubleSize(field, (Double) value);
            case FLOAT -> CodedOutputStream.computeFloatSize(field, (Float) value);
            case BOOL -> CodedOutputStream.computeBoolSize(field, (Boolean) value);
        };
        byte[] out = new byte[size];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        try {
            // proto3 omits a default scalar, but a oneof member has presence: 0, false and "" are still written
            switch (type) {
                case BYTES -> cos.writeByteArray(field, (byte[]) value);
                case STRING -> cos.writeString(field, (String) value);
                case INT32 -> cos.writeInt32(field, (Integer) value);
                case INT64, UNIX_TIMESTAMP -> cos.writeInt64(field, (Long) value);
                case DOUBLE -> cos.writeDouble(field, (Double) value);
                case FLOAT -> cos.writeFloat(field, (Float) value);
                case BOOL -> cos.writeBool(field, (Boolean) value);
            }
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("the computed size of a Value was wrong", e);
        }
        return out;
    }

    /** The {@code oneof val} field number that holds a value of {@code type}: Feast's enum number, as it happens. */
    static int fieldOf(ValueType type) {
        return type.feastNumber();
    }

    /**
     * The Java value of a serialized Value (see the class comment): null for an empty Value or {@code null_val}, and
     * {@link StoredRow#INVALID} for bytes this codec cannot decode. Never throws.
     */
    public static Object decode(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        // A Value that is one double or one float, the commonest features, is read in place: the same value
        // protobuf's reader gives, without a reader per value (a 100-entity read decodes 1,900 values).
        if (bytes.length == 9 && bytes[0] == DOUBLE_TAG) {
            return Double.longBitsToDouble(littleEndian(bytes, 8));
        }
        if (bytes.length == 5 && bytes[0] == FLOAT_TAG) {
            return Float.intBitsToFloat((int) littleEndian(bytes, 4));
        }
        try {
            return readValue(CodedInputStream.newInstance(bytes), 0);
        } catch (IOException e) {
            return StoredRow.INVALID;
        }
    }

    /**
     * Why {@link #decode} answers {@link StoredRow#INVALID} for {@code bytes}, in a sentence for logs, or null when it
     * does not. Decodes again: for the rare bad value, not for the read path.
     */
    public static String whyUndecodable(byte[] bytes) {
        if (decode(bytes) != StoredRow.INVALID) {
            return null;
        }
        try {
            readValue(CodedInputStream.newInstance(bytes), 0);
            return "no reason found";
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private static final byte DOUBLE_TAG = (byte) tag(5, WireFormat.WIRETYPE_FIXED64);
    private static final byte FLOAT_TAG = (byte) tag(6, WireFormat.WIRETYPE_FIXED32);
    private static final int VARINT = WireFormat.WIRETYPE_VARINT;
    private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;
    private static final int FIXED32 = WireFormat.WIRETYPE_FIXED32;
    private static final int LENGTH = WireFormat.WIRETYPE_LENGTH_DELIMITED;

    /** The {@code width} bytes after the tag, little-endian, as protobuf writes fixed-width numbers. */
    private static long littleEndian(byte[] bytes, int width) {
        long v = 0;
        for (int i = width; i >= 1; i--) {
            v = v << 8 | (bytes[i] & 0xFFL);
        }
        return v;
    }

    /** Reads a Value up to the current limit; {@code depth} counts the Values around it. */
    private static Object readValue(CodedInputStream in, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new Undecodable("Values nest more than " + MAX_DEPTH + " deep");
        }
        // A oneof keeps the last member parsed, so every case overwrites the result.
        Object result = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wireType = WireFormat.getTagWireType(tag);
            result = switch (field) {
                case 1 -> {
                    need(wireType, LENGTH, field);
                    yield in.readByteArray();
                }
                case 2, 32, 44 -> {
                    need(wireType, LENGTH, field);
                    yield in.readStringRequireUtf8();
                }
                case 3 -> {
                    need(wireType, VARINT, field);
                    yield in.readInt32();
                }
                case 4, 8 -> {
                    need(wireType, VARINT, field);
                    yield in.readInt64();
                }
                case 5 -> {
                    need(wireType, FIXED64, field);
                    yield in.readDouble();
                }
                case 6 -> {
                    need(wireType, FIXED32, field);
                    yield in.readFloat();
                }
                case 7 -> {
                    need(wireType, VARINT, field);
                    yield in.readBool();
                }
                case 11, 12, 13, 14, 15, 16, 17, 18, 33, 38, 39, 45 -> {
                    need(wireType, LENGTH, field);
                    yield Collections.unmodifiableList(readRepeated(in, elementOf(field)));
                }
                case 22, 23, 24, 25, 26, 27, 28, 29, 40, 41, 46 -> {
                    need(wireType, LENGTH, field);
                    yield Collections.unmodifiableSet(new LinkedHashSet<>(readRepeated(in, elementOf(field))));
                }
                case 19 -> {
                    need(wireType, VARINT, field);
                    in.readEnum();
                    yield null;
                }
                case 20, 34 -> {
                    need(wireType, LENGTH, field);
                    yield readMap(in, depth);
                }
                case 21, 35 -> {
                    need(wireType, LENGTH, field);
                    yield readMapList(in, depth);
                }
                case 36, 37 -> {
                    need(wireType, LENGTH, field);
                    yield canonicalUuid(in.readStringRequireUtf8());
                }
                case 42 -> {
                    need(wireType, LENGTH, field);
                    yield Collections.unmodifiableList(readRepeatedValue(in, depth));
                }
                case 43 -> {
                    need(wireType, LENGTH, field);
                    yield Collections.unmodifiableSet(new LinkedHashSet<>(readRepeatedValue(in, depth)));
                }
                case 47 -> {
                    need(wireType, LENGTH, field);
                    yield readScalarMap(in, depth);
                }
                case 48 -> {
                    need(wireType, LENGTH, field);
                    yield readZonedTimestamp(in);
                }
                default -> throw new Undecodable("field " + field + " is no member of feast.types.Value");
            };
        }
        return result;
    }

    /** Refuses a field whose wire type is not the one its declared type is written with. */
    private static void need(int wireType, int expected, int field) throws Undecodable {
        if (wireType != expected) {
            throw new Undecodable("field " + field + " has wire type " + wireType + ", not " + expected);
        }
    }

    /** A field's tag: its number and wire type, as protobuf's (package-private) {@code WireFormat.makeTag} makes it. */
    private static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    /** The element type of a list or set field: the {@code val} of {@code BytesList ... BoolList}, uuids apart. */
    private enum Element {
        BYTES(LENGTH), STRING(LENGTH), INT32(VARINT), INT64(VARINT), DOUBLE(FIXED64), FLOAT(FIXED32), BOOL(VARINT),
        UUID(LENGTH);

        /** How one element is written; numbers may also come packed, length-delimited. */
        final int wireType;

        Element(int wireType) {
            this.wireType = wireType;
        }
    }

    private static Element elementOf(int field) {
        return switch (field) {
            case 11, 22 -> Element.BYTES;
            case 12, 23, 33, 45, 46 -> Element.STRING;
            case 13, 24 -> Element.INT32;
            case 14, 18, 25, 29 -> Element.INT64;
            case 15, 26 -> Element.DOUBLE;
            case 16, 27 -> Element.FLOAT;
            case 17, 28 -> Element.BOOL;
            case 38, 39, 40, 41 -> Element.UUID;
            default -> throw new IllegalStateException("field " + field + " is not a list");
        };
    }

    /** Reads a {@code *List}/{@code *Set} message: {@code repeated T val = 1}, numbers packed or not. */
    private static List<Object> readRepeated(CodedInputStream in, Element element) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        List<Object> values = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) != 1) {
                in.skipField(tag);
                continue;
            }
            int wireType = WireFormat.getTagWireType(tag);
            if (wireType == element.wireType) {
                values.add(readElement(in, element));
            } else if (wireType == LENGTH) {
                int packedLimit = in.pushLimit(in.readRawVarint32());
                while (in.getBytesUntilLimit() > 0) {
                    values.add(readElement(in, element));
                }
                in.popLimit(packedLimit);
            } else {
                throw new Undecodable("a list of " + element + " holds an element of wire type " + wireType);
            }
        }
        in.popLimit(limit);
        return values;
    }

    private static Object readElement(CodedInputStream in, Element element) throws IOException {
        return switch (element) {
            case BYTES -> in.readByteArray();
            case STRING -> in.readStringRequireUtf8();
            case INT32 -> in.readInt32();
            case INT64 -> in.readInt64();
            case DOUBLE -> in.readDouble();
            case FLOAT -> in.readFloat();
            case BOOL -> in.readBool();
            case UUID -> canonicalUuid(in.readStringRequireUtf8());
        };
    }

    /** Reads a length-delimited Value nested in another message. */
    private static Object readNestedValue(CodedInputStream in, int depth) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        Object value = readValue(in, depth);
        in.popLimit(limit);
        return value;
    }

    /** Reads {@code Map { map<string, Value> val = 1; }}: entries are messages {@code {key = 1, value = 2}}. */
    private static Map<String, Object> readMap(CodedInputStream in, int depth) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        Map<String, Object> map = new LinkedHashMap<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) != 1) {
                in.skipField(tag);
                continue;
            }
            need(WireFormat.getTagWireType(tag), LENGTH, 1);
            int entryLimit = in.pushLimit(in.readRawVarint32());
            String key = "";
            Object value = null;
            int entryTag;
            while ((entryTag = in.readTag()) != 0) {
                switch (WireFormat.getTagFieldNumber(entryTag)) {
                    case 1 -> {
                        need(WireFormat.getTagWireType(entryTag), LENGTH, 1);
                        key = in.readStringRequireUtf8();
                    }
                    case 2 -> {
                        need(WireFormat.getTagWireType(entryTag), LENGTH, 2);
                        value = readNestedValue(in, depth + 1);
                    }
                    default -> in.skipField(entryTag);
                }
            }
            in.popLimit(entryLimit);
            map.put(key, value);
        }
        in.popLimit(limit);
        return Collections.unmodifiableMap(map);
    }

    /** Reads {@code MapList { repeated Map val = 1; }}. */
    private static List<Object> readMapList(CodedInputStream in, int depth) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        List<Object> maps = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                need(WireFormat.getTagWireType(tag), LENGTH, 1);
                maps.add(readMap(in, depth));
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(limit);
        return Collections.unmodifiableList(maps);
    }

    /** Reads {@code RepeatedValue { repeated Value val = 1; }}; an empty inner Value is a null element. */
    private static List<Object> readRepeatedValue(CodedInputStream in, int depth) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        List<Object> values = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                need(WireFormat.getTagWireType(tag), LENGTH, 1);
                values.add(readNestedValue(in, depth + 1));
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(limit);
        return values;
    }

    /** Marks a scalar map entry that has not (yet) read a key: null is no key JSON can write. */
    private static final Object NO_KEY = new Object();

    /**
     * Reads {@code ScalarMap { repeated ScalarMapEntry val = 1; }}, each entry {@code {MapKey key = 1; Value value = 2}}.
     */
    private static Map<Object, Object> readScalarMap(CodedInputStream in, int depth) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        Map<Object, Object> map = new LinkedHashMap<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) != 1) {
                in.skipField(tag);
                continue;
            }
            need(WireFormat.getTagWireType(tag), LENGTH, 1);
            int entryLimit = in.pushLimit(in.readRawVarint32());
            Object key = NO_KEY;
            Object value = null;
            int entryTag;
            while ((entryTag = in.readTag()) != 0) {
                switch (WireFormat.getTagFieldNumber(entryTag)) {
                    case 1 -> {
                        need(WireFormat.getTagWireType(entryTag), LENGTH, 1);
                        key = readMapKey(in);
                    }
                    case 2 -> {
                        need(WireFormat.getTagWireType(entryTag), LENGTH, 2);
                        value = readNestedValue(in, depth + 1);
                    }
                    default -> in.skipField(entryTag);
                }
            }
            in.popLimit(entryLimit);
            if (key == NO_KEY) {
                throw new Undecodable("a scalar_map_val entry has no key");
            }
            map.put(key, value);
        }
        in.popLimit(limit);
        return Collections.unmodifiableMap(map);
    }

    /** Reads a {@code MapKey}, whose {@code oneof key} must hold one of its ten members. */
    private static Object readMapKey(CodedInputStream in) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        Object key = NO_KEY;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wireType = WireFormat.getTagWireType(tag);
            key = switch (field) {
                case 1 -> {
                    need(wireType, VARINT, field);
                    yield in.readInt32();
                }
                case 2, 6 -> {
                    need(wireType, VARINT, field);
                    yield in.readInt64();
                }
                case 3 -> {
                    need(wireType, FIXED32, field);
                    yield in.readFloat();
                }
                case 4 -> {
                    need(wireType, FIXED64, field);
                    yield in.readDouble();
                }
                case 5 -> {
                    need(wireType, VARINT, field);
                    yield in.readBool();
                }
                case 7 -> {
                    need(wireType, LENGTH, field);
                    yield in.readByteArray();
                }
                case 8, 9 -> {
                    need(wireType, LENGTH, field);
                    yield canonicalUuid(in.readStringRequireUtf8());
                }
                case 10 -> {
                    need(wireType, LENGTH, field);
                    yield in.readStringRequireUtf8();
                }
                default -> throw new Undecodable("field " + field + " is no member of feast.types.MapKey");
            };
        }
        in.popLimit(limit);
        if (key == NO_KEY) {
            throw new Undecodable("a scalar_map_val key has no member");
        }
        return key;
    }

    /** Reads {@code ZonedTimestamp { int64 unix_timestamp = 1; string zone = 2; }} into its text. */
    private static String readZonedTimestamp(CodedInputStream in) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        long seconds = 0;
        String zone = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> {
                    need(WireFormat.getTagWireType(tag), VARINT, 1);
                    seconds = in.readInt64();
                }
                case 2 -> {
                    need(WireFormat.getTagWireType(tag), LENGTH, 2);
                    zone = in.readStringRequireUtf8();
                }
                default -> in.skipField(tag);
            }
        }
        in.popLimit(limit);
        return ZonedTimestampText.of(seconds, zone);
    }

    /**
     * The canonical text of the uuid in {@code text}, read as Python's {@code uuid.UUID(hex)} reads it: {@code urn:}
     * and {@code uuid:} removed, braces trimmed, hyphens removed, then 32 hex digits in any case (without the leniency
     * of Python's {@code int()}: no spaces, underscores or {@code 0x}). Feast writes {@code str(uuid)}, which is
     * canonical already, and comes back as it is.
     */
    static String canonicalUuid(String text) throws Undecodable {
        if (isCanonicalUuid(text)) {
            return text;
        }
        String hex = text.replace("urn:", "").replace("uuid:", "");
        int start = 0;
        int end = hex.length();
        while (start < end && (hex.charAt(start) == '{' || hex.charAt(start) == '}')) {
            start++;
        }
        while (end > start && (hex.charAt(end - 1) == '{' || hex.charAt(end - 1) == '}')) {
            end--;
        }
        hex = hex.substring(start, end).replace("-", "");
        if (hex.length() != 32) {
            throw new Undecodable("a uuid holds " + hex.length() + " hex digits, not 32");
        }
        StringBuilder canonical = new StringBuilder(36);
        for (int i = 0; i < 32; i++) {
            int digit = Character.digit(hex.charAt(i), 16);
            if (digit < 0 || hex.charAt(i) > 'f') {
                throw new Undecodable("a uuid holds a character that is no hex digit");
            }
            if (i == 8 || i == 12 || i == 16 || i == 20) {
                canonical.append('-');
            }
            canonical.append(Character.forDigit(digit, 16));
        }
        return canonical.toString();
    }

    private static boolean isCanonicalUuid(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean hyphen = i == 8 || i == 13 || i == 18 || i == 23;
            boolean ok = hyphen ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The serialized {@code google.protobuf.Timestamp} of {@code time}: seconds (field 1) and nanos (field 2), each
     * left out when zero, so the epoch is zero bytes.
     */
    public static byte[] encodeTimestamp(Instant time) {
        long seconds = time.getEpochSecond();
        int nanos = time.getNano();
        int size = (seconds == 0 ? 0 : CodedOutputStream.computeInt64Size(1, seconds))
                + (nanos == 0 ? 0 : CodedOutputStream.computeInt32Size(2, nanos));
        byte[] out = new byte[size];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        try {
            if (seconds != 0) {
                cos.writeInt64(1, seconds);
            }
            if (nanos != 0) {
                cos.writeInt32(2, nanos);
            }
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("the computed size of a Timestamp was wrong", e);
        }
        return out;
    }

    /**
     * The instant of a serialized {@code google.protobuf.Timestamp}; zero bytes are the epoch.
     *
     * @throws IllegalArgumentException when {@code bytes} are not a well-formed protobuf message
     */
    public static Instant decodeTimestamp(byte[] bytes) {
        long seconds = 0;
        int nanos = 0;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (tag == tag(1, WireFormat.WIRETYPE_VARINT)) {
                    seconds = in.readInt64();
                } else if (tag == tag(2, WireFormat.WIRETYPE_VARINT)) {
                    nanos = in.readInt32();
                } else {
                    in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a serialized google.protobuf.Timestamp: " + e.getMessage(), e);
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
