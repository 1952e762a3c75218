package dev.quiver.onlinestore.redis.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
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
 * <p>Field numbers are those of feast-dev/feast {@code protos/feast/types/Value.proto}: {@code bytes_val=1,
 * string_val=2, int32_val=3, int64_val=4, double_val=5, float_val=6, bool_val=7, unix_timestamp_val=8},
 * lists 11 to 18 ({@code repeated val = 1} inside), {@code null_val=19}, {@code map_val=20}, {@code map_list_val=21},
 * sets 22 to 29, {@code uuid_val=30}, {@code time_uuid_val=31}, {@code uuid_list_val=32},
 * {@code time_uuid_list_val=33}.
 *
 * <p>Encoding writes the scalar types Quiver has ({@link ValueType}); a null value is the empty Value (zero bytes),
 * which is what Feast's {@code python_values_to_proto_values} produces for {@code None}. Decoding reads everything
 * Feast may have stored: scalars to their canonical Java class, lists to unmodifiable {@link List}s, sets to
 * unmodifiable {@link java.util.Set}s, maps to unmodifiable {@link Map}s; an empty Value, {@code null_val} and a Value
 * holding only fields this codec does not know decode to null, as protobuf ignores unknown fields.
 */
public final class FeastValues {

    private static final byte[] EMPTY = new byte[0];

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
     * The canonical Java value of a serialized Value, or null for an empty Value or {@code null_val}.
     *
     * @throws IllegalArgumentException when {@code bytes} are not a well-formed protobuf message
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
            return readValue(CodedInputStream.newInstance(bytes));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a serialized feast.types.Value: " + e.getMessage(), e);
        }
    }

    private static final byte DOUBLE_TAG = (byte) tag(5, WireFormat.WIRETYPE_FIXED64);
    private static final byte FLOAT_TAG = (byte) tag(6, WireFormat.WIRETYPE_FIXED32);

    /** The {@code width} bytes after the tag, little-endian, as protobuf writes fixed-width numbers. */
    private static long littleEndian(byte[] bytes, int width) {
        long v = 0;
        for (int i = width; i >= 1; i--) {
            v = v << 8 | (bytes[i] & 0xFFL);
        }
        return v;
    }

    private static Object readValue(CodedInputStream in) throws IOException {
        // A oneof keeps the last member parsed, so every case overwrites the result.
        Object result = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wireType = WireFormat.getTagWireType(tag);
            Object value = switch (field) {
                case 1 -> wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED ? in.readByteArray() : skip(in, tag);
                case 2, 30, 31 -> wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED ? in.readStringRequireUtf8()
                        : skip(in, tag);
                case 3 -> wireType == WireFormat.WIRETYPE_VARINT ? in.readInt32() : skip(in, tag);
                case 4, 8 -> wireType == WireFormat.WIRETYPE_VARINT ? in.readInt64() : skip(in, tag);
                case 5 -> wireType == WireFormat.WIRETYPE_FIXED64 ? in.readDouble() : skip(in, tag);
                case 6 -> wireType == WireFormat.WIRETYPE_FIXED32 ? in.readFloat() : skip(in, tag);
                case 7 -> wireType == WireFormat.WIRETYPE_VARINT ? in.readBool() : skip(in, tag);
                case 11, 12, 13, 14, 15, 16, 17, 18, 32, 33 -> wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED
                        ? Collections.unmodifiableList(readRepeated(in, elementOf(field))) : skip(in, tag);
                case 22, 23, 24, 25, 26, 27, 28, 29 -> wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED
                        ? Collections.unmodifiableSet(new LinkedHashSet<>(readRepeated(in, elementOf(field))))
                        : skip(in, tag);
                case 19 -> {
                    in.skipField(tag);
                    yield null;
                }
                case 20 -> wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED ? readMap(in) : skip(in, tag);
                case 21 -> wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED ? readMapList(in) : skip(in, tag);
                default -> skip(in, tag);
            };
            if (value != UNKNOWN) {
                result = value;
            }
        }
        return result;
    }

    /** A field's tag: its number and wire type, as protobuf's (package-private) {@code WireFormat.makeTag} makes it. */
    private static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    /** Marks a field this codec skipped, so that it does not replace a known oneof member. */
    private static final Object UNKNOWN = new Object();

    private static Object skip(CodedInputStream in, int tag) throws IOException {
        in.skipField(tag);
        return UNKNOWN;
    }

    /** The element type of a list or set field: the types of {@code BytesList ... BoolList} by field number. */
    private enum Element { BYTES, STRING, INT32, INT64, DOUBLE, FLOAT, BOOL }

    private static Element elementOf(int field) {
        return switch (field) {
            case 11, 22 -> Element.BYTES;
            case 12, 23, 32, 33 -> Element.STRING;
            case 13, 24 -> Element.INT32;
            case 14, 18, 25, 29 -> Element.INT64;
            case 15, 26 -> Element.DOUBLE;
            case 16, 27 -> Element.FLOAT;
            case 17, 28 -> Element.BOOL;
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
            boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED
                    && element != Element.BYTES && element != Element.STRING;
            if (packed) {
                int packedLimit = in.pushLimit(in.readRawVarint32());
                while (in.getBytesUntilLimit() > 0) {
                    values.add(readElement(in, element));
                }
                in.popLimit(packedLimit);
            } else {
                values.add(readElement(in, element));
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
        };
    }

    /** Reads {@code Map { map<string, Value> val = 1; }}: entries are messages {@code {key = 1, value = 2}}. */
    private static Map<String, Object> readMap(CodedInputStream in) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        Map<String, Object> map = new LinkedHashMap<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag != tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                in.skipField(tag);
                continue;
            }
            int entryLimit = in.pushLimit(in.readRawVarint32());
            String key = "";
            Object value = null;
            int entryTag;
            while ((entryTag = in.readTag()) != 0) {
                if (entryTag == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    key = in.readStringRequireUtf8();
                } else if (entryTag == tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    int valueLimit = in.pushLimit(in.readRawVarint32());
                    value = readValue(in);
                    in.popLimit(valueLimit);
                } else {
                    in.skipField(entryTag);
                }
            }
            in.popLimit(entryLimit);
            map.put(key, value);
        }
        in.popLimit(limit);
        return Collections.unmodifiableMap(map);
    }

    /** Reads {@code MapList { repeated Map val = 1; }}. */
    private static List<Object> readMapList(CodedInputStream in) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        List<Object> maps = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                maps.add(readMap(in));
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(limit);
        return Collections.unmodifiableList(maps);
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
