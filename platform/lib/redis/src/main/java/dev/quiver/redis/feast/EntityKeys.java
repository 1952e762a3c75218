package dev.quiver.redis.feast;

import dev.quiver.feature.EntityKey;
import dev.quiver.feature.ValueType;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feast's entity key serialization, {@code serialize_entity_key} in feast-dev/feast
 * {@code sdk/python/feast/infra/key_encoding_utils.py}, versions 1, 2 and 3 ({@code entity_key_serialization_version}).
 * Every integer is little-endian.
 *
 * <pre>
 * v3: u32(n) · n × [u32(2) · u32(UTF-8 bytes of name) · utf8(name)] · n × [u32(type) · u32(len) · payload]
 * v2, v1:      n × [u32(2) ·                            utf8(name)] · n × [u32(type) · u32(len) · payload]
 * </pre>
 *
 * <p>Pairs are in join key order, by code point (Python's {@code sorted}), which is the order {@link EntityKey} keeps.
 * Payloads: STRING its UTF-8 bytes, BYTES as is, INT32 4 bytes, UNIX_TIMESTAMP 8 bytes, INT64 8 bytes in versions 2
 * and 3 but 4 in version 1 ({@code struct.pack("<l")}, so version 1 cannot hold an INT64 outside the int range),
 * two's complement; the type numbers are Feast's {@code ValueType.Enum}. Version 3 has written each name's UTF-8 byte
 * length ({@code len(k_encoded)}) since Feast 0.61; Feast 0.40 to 0.60 wrote {@code len(k)}, its code points, which
 * is the same for the ASCII names Feast projects use.
 */
public final class EntityKeys {

    private EntityKeys() {
    }

    /** Whether {@code version} is an {@code entity_key_serialization_version} this class writes: 1, 2 or 3. */
    public static boolean isVersion(int version) {
        return version >= 1 && version <= 3;
    }

    /**
     * Whether an INT64 {@code value} fits a key of {@code version}: always in 2 and 3, within the int range in 1,
     * where Feast packs it in 4 bytes (and fails with {@code struct.error} beyond).
     */
    public static boolean fitsInt64(long value, int version) {
        return version > 1 || (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE);
    }

    /**
     * Serializes an entity key given as parallel arrays: join key names, sorted as {@link EntityKey} sorts them,
     * their canonical values and the values' types.
     *
     * @throws IllegalArgumentException for a version other than 1, 2 or 3, a type that cannot be a key, or an INT64
     *                                  that version 1 cannot hold
     * @throws ClassCastException       when a value is not of its type's canonical class
     */
    public static byte[] serialize(String[] joinKeys, Object[] values, ValueType[] types, int version) {
        checkVersion(version);
        int n = joinKeys.length;
        byte[][] names = new byte[n][];
        byte[][] payloads = new byte[n][];
        int size = version >= 3 ? 4 : 0;
        for (int i = 0; i < n; i++) {
            names[i] = joinKeys[i].getBytes(StandardCharsets.UTF_8);
            payloads[i] = payload(types[i], values[i], version);
            size += 4 + (version >= 3 ? 4 : 0) + names[i].length + 8 + payloads[i].length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        if (version >= 3) {
            out.putInt(n);
        }
        for (int i = 0; i < n; i++) {
            out.putInt(ValueType.STRING.feastNumber());
            if (version >= 3) {
                out.putInt(names[i].length);
            }
            out.put(names[i]);
        }
        for (int i = 0; i < n; i++) {
            out.putInt(types[i].feastNumber()).putInt(payloads[i].length).put(payloads[i]);
        }
        return out.array();
    }

    private static byte[] payload(ValueType type, Object value, int version) {
        return switch (type) {
            case STRING -> ((String) value).getBytes(StandardCharsets.UTF_8);
            case BYTES -> (byte[]) value;
            case INT32 -> ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((Integer) value).array();
            case INT64 -> {
                long v = (Long) value;
                if (version > 1) {
                    yield ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
                }
                if (!fitsInt64(v, version)) {
                    throw new IllegalArgumentException("version 1 entity keys hold INT64 values in 4 bytes, and " + v
                            + " does not fit");
                }
                yield ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
            }
            case UNIX_TIMESTAMP -> ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong((Long) value).array();
            default -> throw new IllegalArgumentException(type.yamlName() + " values cannot be entity keys");
        };
    }

    /** A deserialized key: the join keys with their values, and the type each value was stored with. */
    public record Decoded(EntityKey key, List<ValueType> types) {
    }

    /**
     * Reads a version 3 key, as Feast's {@code deserialize_entity_key} does: each join key name's length is its UTF-8
     * bytes. Versions 1 and 2 keys cannot be read back: they carry no name lengths.
     *
     * @throws IllegalArgumentException when {@code bytes} are not a version 3 entity key
     */
    public static Decoded deserializeV3(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int n = in.getInt();
            // each join key takes at least 16 bytes (two headers per name and per value): refuse absurd counts early
            if (n < 0 || n > bytes.length / 16) {
                throw new IllegalArgumentException(Integer.toUnsignedString(n) + " join keys do not fit in an entity key of "
                        + bytes.length + " bytes");
            }
            String[] names = new String[n];
            for (int i = 0; i < n; i++) {
                int type = in.getInt();
                if (type != ValueType.STRING.feastNumber()) {
                    throw new IllegalArgumentException("join key " + i + " has type " + type + ", not STRING");
                }
                names[i] = readName(in, in.getInt());
            }
            Map<String, Object> values = new LinkedHashMap<>();
            List<ValueType> types = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ValueType type = typeOf(in.getInt());
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw new IllegalArgumentException("value " + i + " claims " + Integer.toUnsignedString(length)
                            + " bytes, " + in.remaining() + " are left");
                }
                byte[] payload = new byte[length];
                in.get(payload);
                values.put(names[i], value(type, payload));
                types.add(type);
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes follow the last value");
            }
            if (values.size() != n) {
                throw new IllegalArgumentException("a join key appears twice");
            }
            return new Decoded(EntityKey.of(values), List.copyOf(types));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("the entity key ends early", e);
        }
    }

    private static String readName(ByteBuffer in, int length) {
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("a join key name claims " + Integer.toUnsignedString(length)
                    + " bytes, " + in.remaining() + " are left");
        }
        ByteBuffer slice = in.duplicate().limit(in.position() + length);
        try {
            String name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
            in.position(in.position() + length);
            return name;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a join key name is not UTF-8", e);
        }
    }

    private static ValueType typeOf(int feastNumber) {
        for (ValueType t : ValueType.values()) {
            if (t.feastNumber() == feastNumber && t.canBeKey()) {
                return t;
            }
        }
        throw new IllegalArgumentException("value type " + feastNumber + " cannot be an entity key");
    }

    private static Object value(ValueType type, byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        Object value = switch (type) {
            case STRING -> new String(payload, StandardCharsets.UTF_8);
            case BYTES -> payload;
            case INT32 -> payload.length == 4 ? b.getInt() : null;
            case INT64, UNIX_TIMESTAMP -> payload.length == 8 ? b.getLong() : null;
            default -> throw new IllegalStateException("not a key type: " + type);
        };
        if (value == null) {
            throw new IllegalArgumentException("a " + type.yamlName() + " payload of " + payload.length + " bytes");
        }
        return value;
    }

    private static void checkVersion(int version) {
        if (!isVersion(version)) {
            throw new IllegalArgumentException("entity key serialization version must be 1, 2 or 3, not " + version);
        }
    }
}
