package dev.quiver.redis.feast;

import com.google.common.hash.Hashing;
import dev.quiver.error.QuiverException;
import dev.quiver.feature.Entity;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.FeatureView;
import dev.quiver.feature.StoredRow;
import dev.quiver.feature.ValueType;
import dev.quiver.redis.feast.EntityKeys;
import dev.quiver.redis.feast.FeastValues;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Where and how Feast's Python SDK keeps online features in Redis, byte for byte (feast-dev/feast
 * {@code sdk/python/feast/infra/online_stores/redis.py}, {@code helpers.py} and
 * {@code sdk/python/feast/infra/key_encoding_utils.py}), so that Quiver reads what Feast materialized and Feast reads
 * what Quiver wrote.
 *
 * <ul>
 *   <li>One Redis hash per entity and project, shared by every view keyed by that entity. Its key is the serialized
 *   entity key ({@code entity_key_serialization_version} 3, Feast's default since 0.50; 1, the default before; or
 *   2) followed by the UTF-8 project name, with no separator.</li>
 *   <li>A feature's field is the 4 little-endian bytes of MurmurHash3 x86 32-bit, seed 0, of the UTF-8
 *   {@code view:feature}.</li>
 *   <li>A view's event time is in the field {@code _ts:<view>} (UTF-8, not hashed), as a serialized
 *   {@code google.protobuf.Timestamp}.</li>
 *   <li>A feature's value is a serialized {@code feast.types.Value}; a null value is the empty Value.</li>
 * </ul>
 *
 * <p>Immutable and safe to share between threads.
 */
public final class FeastRedisLayout {

    private final byte[] project;
    private final int version;

    /**
     * @param project                       the Feast project, suffix of every key
     * @param entityKeySerializationVersion Feast's {@code entity_key_serialization_version} of the store: 3 (its
     *                                      default since Feast 0.50), 2, or 1 (its default in Feast 0.23 to 0.49)
     * @throws IllegalArgumentException for another version or a blank project
     */
    public FeastRedisLayout(String project, int entityKeySerializationVersion) {
        if (project == null || project.isBlank()) {
            throw new IllegalArgumentException("project: is required");
        }
        if (!EntityKeys.isVersion(entityKeySerializationVersion)) {
            throw new IllegalArgumentException("entity key serialization version must be 1, 2 or 3, not "
                    + entityKeySerializationVersion);
        }
        this.project = project.getBytes(StandardCharsets.UTF_8);
        this.version = entityKeySerializationVersion;
    }

    /** The entity key serialization version this layout writes. */
    public int entityKeySerializationVersion() {
        return version;
    }

    /**
     * The Redis key of {@code key}'s hash: its serialized entity key, then the project.
     *
     * @param field the request path of {@code key}, for errors
     * @throws QuiverException BAD_INPUT on {@code field} when {@code key}'s join keys are not exactly those of
     *                         {@code view}'s entities, or a value does not fit its entity's type (or, in version 1,
     *                         an INT64 value the int range does not hold: Feast writes them in 4 bytes there)
     */
    public byte[] redisKey(FeatureView view, EntityKey key, String field) {
        byte[] entityKey = entityKey(view, key, field);
        byte[] redisKey = Arrays.copyOf(entityKey, entityKey.length + project.length);
        System.arraycopy(project, 0, redisKey, entityKey.length, project.length);
        return redisKey;
    }

    /**
     * {@code key} serialized as Feast's {@code serialize_entity_key} does, each value typed by its entity in
     * {@code view}.
     *
     * @throws QuiverException BAD_INPUT as {@link #redisKey}
     */
    public byte[] entityKey(FeatureView view, EntityKey key, String field) {
        int n = key.size();
        String[] joinKeys = new String[n];
        ValueType[] types = new ValueType[n];
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            joinKeys[i] = key.joinKey(i);
            Entity entity = entityOf(view, joinKeys[i]);
            if (entity == null) {
                throw QuiverException.badInput(field, "'" + joinKeys[i] + "' is not a join key of view '"
                        + view.name() + "', whose join keys are " + view.joinKeys());
            }
            if (!entity.valueType().canBeKey()) {
                throw QuiverException.badInput(field, "entity '" + entity.name() + "' has type "
                        + entity.valueType().yamlName() + ", which Feast cannot serialize in a key");
            }
            types[i] = entity.valueType();
            // a caller may hold an INT64 key as an Integer, as JSON decodes it; the bytes need the canonical class
            values[i] = types[i].coerce(key.value(i), field + "." + joinKeys[i]);
            if (values[i] == null) {
                throw QuiverException.badInput(field + "." + joinKeys[i], "is required");
            }
            if (types[i] == ValueType.INT64 && !EntityKeys.fitsInt64((Long) values[i], version)) {
                throw QuiverException.badInput(field + "." + joinKeys[i], "is " + values[i] + ", which a version 1 "
                        + "entity key cannot hold: Feast writes its INT64 values in 4 bytes (entity key serialization "
                        + "version 1), from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
            }
        }
        if (n != distinctJoinKeys(view)) {
            throw QuiverException.badInput(field, "must name every join key of view '" + view.name() + "': "
                    + view.joinKeys());
        }
        return EntityKeys.serialize(joinKeys, values, types, version);
    }

    /** How many different join keys {@code view}'s entities have; a loop, as it runs once per key read. */
    private static int distinctJoinKeys(FeatureView view) {
        List<Entity> entities = view.entities();
        int distinct = 0;
        for (int i = 0; i < entities.size(); i++) {
            if (entityOf(entities.subList(0, i), entities.get(i).joinKey()) == null) {
                distinct++;
            }
        }
        return distinct;
    }

    private static Entity entityOf(FeatureView view, String joinKey) {
        return entityOf(view.entities(), joinKey);
    }

    private static Entity entityOf(List<Entity> entities, String joinKey) {
        for (Entity e : entities) {
            if (e.joinKey().equals(joinKey)) {
                return e;
            }
        }
        return null;
    }

    /** The hash field of feature {@code feature} of view {@code view}: murmur3_32 of {@code view:feature}, LE. */
    public static byte[] featureField(String view, String feature) {
        // Hash the UTF-8 bytes ourselves: Guava's hashString on the deprecated murmur3_32 differs for non-BMP text.
        return Hashing.murmur3_32_fixed().hashBytes((view + ":" + feature).getBytes(StandardCharsets.UTF_8))
                .asBytes();
    }

    /** The hash field of a view's event time: the UTF-8 bytes of {@code _ts:<view>}. */
    public static byte[] timestampField(String view) {
        return ("_ts:" + view).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The stored form of a canonical value of {@code type}: a serialized {@code feast.types.Value}, zero bytes for
     * null.
     *
     * @throws ClassCastException when {@code value} is not of {@code type}'s canonical class
     */
    public static byte[] encodeValue(ValueType type, Object value) {
        return FeastValues.encode(type, value);
    }

    /**
     * The Java value of a stored {@code feast.types.Value}, for every member Feast defines (see {@link FeastValues}):
     * null for the empty Value and {@code null_val}; lists, sets and maps decode to unmodifiable Java collections.
     * Bytes that are not a Value this layout can read decode to {@link StoredRow#INVALID}; this never throws.
     */
    public static Object decodeValue(byte[] bytes) {
        return FeastValues.decode(bytes);
    }

    /** Why {@link #decodeValue} answers {@link StoredRow#INVALID} for {@code bytes}, for logs; null if it does not. */
    public static String whyUndecodable(byte[] bytes) {
        return FeastValues.whyUndecodable(bytes);
    }

    /** The stored form of an event time: a serialized {@code google.protobuf.Timestamp}. */
    public static byte[] encodeTimestamp(Instant time) {
        return FeastValues.encodeTimestamp(time);
    }

    /**
     * The event time of a stored {@code google.protobuf.Timestamp}; zero bytes are the epoch.
     *
     * @throws IllegalArgumentException when {@code bytes} are not a protobuf message
     */
    public static Instant decodeTimestamp(byte[] bytes) {
        return FeastValues.decodeTimestamp(bytes);
    }
}
