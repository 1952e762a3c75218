package dev.quiver.redis.feast;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.hash.Hashing;
import dev.quiver.error.QuiverException;
import dev.quiver.feature.Entity;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.FeatureView;
import dev.quiver.feature.StoredRow;
import dev.quiver.feature.ValueType;
import dev.quiver.redis.feast.EntityKeys;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.quiver.redis.feast.Golden.ROOT;
import static dev.quiver.redis.feast.Golden.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Byte-for-byte checks of Quiver's Feast Redis layout against vectors computed independently of it: golden.json
 * (written by make_golden.py with Feast's own entity key code and the classes protoc generates from Feast's
 * Value.proto), the vectors of the project's Feast research notes, and the literal payloads of Feast's unit tests.
 * {@link FeastValuesTest} checks the decoding of every member of Feast's Value.
 */
class FeastRedisLayoutTest {

    private static final FeastRedisLayout V3 = new FeastRedisLayout("feast_demo", 3);
    private static final FeastRedisLayout V2 = new FeastRedisLayout("feast_demo", 2);
    private static final FeastRedisLayout V1 = new FeastRedisLayout("feast_demo", 1);

    // ---- golden.json ----------------------------------------------------------------------------------------------

    @Test
    void entityKeysAndRedisKeysMatchFeastForEveryGoldenCaseOfEveryVersion() {
        assertThat(ROOT.get("entityKeys")).hasSizeGreaterThan(40);
        Set<Integer> versions = new java.util.HashSet<>();
        for (JsonNode c : ROOT.get("entityKeys")) {
            versions.add(c.get("version").intValue());
            FeastRedisLayout layout = layout(c.get("version").intValue());
            FeatureView view = Golden.viewFor(c.get("keys"));
            EntityKey key = Golden.key(c.get("keys"));
            String name = c.get("name").asText() + " v" + c.get("version").intValue();

            assertThat(hex(layout.entityKey(view, key, "key"))).as(name).isEqualTo(c.get("entityKeyHex").asText());
            assertThat(hex(layout.redisKey(view, key, "key"))).as(name).isEqualTo(c.get("redisKeyHex").asText());
        }
        assertThat(versions).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void keysFeastCannotSerializeAreBadInputNamingTheJoinKey() {
        assertThat(ROOT.get("refusedEntityKeys")).hasSize(2);
        for (JsonNode c : ROOT.get("refusedEntityKeys")) {
            FeatureView view = Golden.viewFor(c.get("keys"));
            EntityKey key = Golden.key(c.get("keys"));
            String joinKey = c.get("keys").get(0).get("joinKey").asText();
            assertThatThrownBy(() -> layout(c.get("version").intValue()).redisKey(view, key, "reads[0].keys[1]"))
                    .as(c.get("name").asText() + ", Feast: " + c.get("feast").asText())
                    .isInstanceOfSatisfying(QuiverException.class, e -> {
                        assertThat(e.kind()).isEqualTo(QuiverException.Kind.BAD_INPUT);
                        assertThat(e.field()).isEqualTo("reads[0].keys[1]." + joinKey);
                        assertThat(e.reason()).contains("version 1 entity key cannot hold").contains("4 bytes");
                    });
            // the same key is fine in the versions that write 8 bytes
            assertThat(V2.redisKey(view, key, "key")).isNotEmpty();
        }
    }

    private static FeastRedisLayout layout(int version) {
        return switch (version) {
            case 1 -> V1;
            case 2 -> V2;
            case 3 -> V3;
            default -> throw new IllegalArgumentException("version " + version);
        };
    }

    @Test
    void version3EntityKeysDecodeBackToTheirJoinKeysValuesAndTypes() {
        for (JsonNode c : ROOT.get("entityKeys")) {
            if (c.get("version").intValue() != 3) {
                continue;
            }
            EntityKeys.Decoded decoded = EntityKeys.deserializeV3(hex(c.get("entityKeyHex").asText()));
            EntityKey expected = Golden.key(c.get("keys"));
            List<ValueType> types = new ArrayList<>();
            for (String joinKey : expected.joinKeys()) {
                for (JsonNode k : c.get("keys")) {
                    if (k.get("joinKey").asText().equals(joinKey)) {
                        types.add(ValueType.valueOf(k.get("type").asText()));
                    }
                }
            }
            assertThat(decoded.key()).as(c.get("name").asText()).isEqualTo(expected);
            assertThat(decoded.types()).as(c.get("name").asText()).isEqualTo(types);
        }
    }

    @Test
    void featureAndTimestampFieldsMatchFeast() {
        for (JsonNode f : ROOT.get("featureFields")) {
            assertThat(hex(FeastRedisLayout.featureField(f.get("view").asText(), f.get("feature").asText())))
                    .as(f.toString()).isEqualTo(f.get("fieldHex").asText());
        }
        for (JsonNode f : ROOT.get("timestampFields")) {
            assertThat(hex(FeastRedisLayout.timestampField(f.get("view").asText())))
                    .isEqualTo(f.get("fieldHex").asText());
        }
    }

    @Test
    void guavasMurmurIsFeastsMmh3WithSeedZero() {
        for (JsonNode m : ROOT.get("murmur3_x86_32")) {
            int hash = Hashing.murmur3_32_fixed().hashBytes(m.get("text").asText().getBytes(StandardCharsets.UTF_8))
                    .asInt();
            assertThat(Integer.toUnsignedLong(hash)).as(m.get("text").asText()).isEqualTo(m.get("hash").longValue());
        }
    }

    @Test
    void everyScalarValueEncodesAsProtobufDoesAndDecodesBack() {
        assertThat(ROOT.get("values")).hasSizeGreaterThan(20);
        for (JsonNode v : ROOT.get("values")) {
            ValueType type = ValueType.valueOf(v.get("type").asText());
            Object value = Golden.value(type, v.get("value"));
            String name = type + " " + v.get("value");

            assertThat(hex(FeastRedisLayout.encodeValue(type, value))).as(name).isEqualTo(v.get("hex").asText());
            Object decoded = FeastRedisLayout.decodeValue(hex(v.get("hex").asText()));
            if (value instanceof byte[] bytes) {
                assertThat((byte[]) decoded).as(name).isEqualTo(bytes);
            } else {
                // equals, not ==: -0.0 must stay -0.0, and the class must be the canonical one
                assertThat(decoded).as(name).isEqualTo(value);
            }
        }
    }

    @Test
    void timestampsEncodeAsProtobufDoesAndDecodeBack() {
        for (JsonNode t : ROOT.get("timestamps")) {
            Instant time = Instant.ofEpochSecond(t.get("seconds").longValue(), t.get("nanos").longValue());
            assertThat(hex(FeastRedisLayout.encodeTimestamp(time))).as(time.toString())
                    .isEqualTo(t.get("hex").asText());
            assertThat(FeastRedisLayout.decodeTimestamp(hex(t.get("hex").asText()))).isEqualTo(time);
        }
    }

    @Test
    void theGoldenHashIsWhatTheLayoutProducesForItsRows() {
        JsonNode hash = ROOT.get("hash");
        FeatureView stats = Golden.hashView("driver_hourly_stats");
        EntityKey key = Golden.key(hash.get("keys"));
        assertThat(hex(V3.redisKey(stats, key, "key"))).isEqualTo(hash.get("redisKeyHex").asText());

        List<String> fields = new ArrayList<>();
        for (JsonNode view : hash.get("views")) {
            String name = view.get("view").asText();
            fields.add(hex(FeastRedisLayout.timestampField(name)) + "="
                    + hex(FeastRedisLayout.encodeTimestamp(Instant.ofEpochSecond(view.get("seconds").longValue(),
                    view.get("nanos").longValue()))));
            for (JsonNode f : view.get("features")) {
                ValueType type = ValueType.valueOf(f.get("type").asText());
                fields.add(hex(FeastRedisLayout.featureField(name, f.get("name").asText())) + "="
                        + hex(FeastRedisLayout.encodeValue(type, Golden.value(type, f.get("value")))));
            }
        }
        List<String> expected = new ArrayList<>();
        hash.get("fields").forEach(f -> expected.add(f.get("fieldHex").asText() + "=" + f.get("valueHex").asText()));
        assertThat(fields).containsExactlyElementsOf(expected);
    }

    // ---- literal vectors: /tmp/feast-research.md §1.4, §2 and Feast's own unit tests ----------------------------

    @Test
    void researchVectorsOfEntityKeysAndRedisKeys() {
        // §1.4 A: customer_id = int64 1001
        FeatureView customers = view(new Entity("customer", "customer_id", ValueType.INT64, null));
        assertThat(hex(V3.entityKey(customers, EntityKey.of("customer_id", 1001L), "key"))).isEqualTo(
                "01000000" + "02000000" + "0b000000" + "637573746f6d65725f6964" + "04000000" + "08000000"
                        + "e903000000000000");
        assertThat(hex(V2.entityKey(customers, EntityKey.of("customer_id", 1001L), "key")))
                .isEqualTo("02000000637573746f6d65725f69640400000008000000e903000000000000");
        // version 1: as version 2, with the INT64 in 4 bytes (struct.pack("<l"))
        assertThat(hex(V1.entityKey(customers, EntityKey.of("customer_id", 1001L), "key")))
                .isEqualTo("02000000637573746f6d65725f69640400000004000000e9030000");

        // §1.4 C: sorted by join key, all names before all values
        FeatureView both = view(new Entity("driver", "driver_id", ValueType.INT64, null),
                new Entity("customer", "customer_id", ValueType.STRING, null));
        EntityKey c = EntityKey.of(Map.of("driver_id", 5L, "customer_id", "x"));
        assertThat(hex(V3.entityKey(both, c, "key"))).isEqualTo("02000000020000000b000000637573746f6d65725f69640200"
                + "0000090000006472697665725f696402000000010000007804000000080000000500000000000000");

        // §1.4 D: Feast's test input user = 2**15
        FeatureView users = view(new Entity("user", "user", ValueType.INT64, null));
        assertThat(hex(V3.entityKey(users, EntityKey.of("user", 32768L), "key")))
                .isEqualTo("0100000002000000040000007573657204000000080000000080000000000000");

        // §2.1: project feast_demo, driver_id = 1001: the project's UTF-8 bytes follow the key
        FeatureView drivers = view(new Entity("driver", "driver_id", ValueType.INT64, null));
        assertThat(hex(V3.redisKey(drivers, EntityKey.of("driver_id", 1001L), "key"))).isEqualTo(
                "0100000002000000090000006472697665725f69640400000008000000e903000000000000" + "66656173745f64656d6f");
    }

    @Test
    void researchVectorsOfFieldsValuesAndTimestamps() {
        // §2.2
        assertThat(hex(FeastRedisLayout.featureField("driver_hourly_stats", "conv_rate"))).isEqualTo("6160e3da");
        assertThat(hex(FeastRedisLayout.featureField("driver_hourly_stats", "acc_rate"))).isEqualTo("fa5e58ad");
        assertThat(hex(FeastRedisLayout.featureField("driver_hourly_stats", "avg_daily_trips")))
                .isEqualTo("18a5e5a3");
        assertThat(hex(FeastRedisLayout.featureField("customer_profile", "avg_order_value"))).isEqualTo("0f742187");
        // §2.3
        assertThat(hex(FeastRedisLayout.timestampField("driver_hourly_stats")))
                .isEqualTo("5f74733a6472697665725f686f75726c795f7374617473");
        assertThat(hex(FeastRedisLayout.encodeTimestamp(Instant.parse("2021-12-31T23:00:00Z"))))
                .isEqualTo("08f096be8e06");
        assertThat(hex(FeastRedisLayout.encodeTimestamp(Instant.parse("2021-12-31T23:00:00.5Z"))))
                .isEqualTo("08f096be8e061080cab5ee01");
        assertThat(FeastRedisLayout.encodeTimestamp(Instant.EPOCH)).isEmpty();
        // §3
        assertThat(hex(FeastRedisLayout.encodeValue(ValueType.INT64, 42L))).isEqualTo("202a");
        assertThat(hex(FeastRedisLayout.encodeValue(ValueType.DOUBLE, 1.5))).isEqualTo("29000000000000f83f");
        assertThat(hex(FeastRedisLayout.encodeValue(ValueType.STRING, "KS"))).isEqualTo("12024b53");
        assertThat(hex(FeastRedisLayout.encodeValue(ValueType.BOOL, true))).isEqualTo("3801");
        assertThat(hex(FeastRedisLayout.encodeValue(ValueType.FLOAT, 0.5f))).isEqualTo("350000003f");
        assertThat(hex(FeastRedisLayout.encodeValue(ValueType.INT64, -1L))).isEqualTo("20ffffffffffffffffff01");
        assertThat(hex(FeastRedisLayout.encodeValue(ValueType.UNIX_TIMESTAMP, 1_700_000_000L)))
                .isEqualTo("4080e2cfaa06");
        assertThat(FeastRedisLayout.decodeValue(hex("980100"))).isNull();
        assertThat(FeastRedisLayout.decodeValue(new byte[0])).isNull();
    }

    /**
     * feast-dev/feast sdk/python/tests/unit/infra/test_key_encoding_utils.py, test_serialize_value: int32 1 is
     * {@code b"\x01\x00\x00\x00"}, int64 1 is {@code b"\x01\x00\x00\x00\x00\x00\x00\x00"} ("Default
     * entity_key_serialization_version is 3, so result is of 8 bytes"), string and bytes "test" are {@code b"test"}.
     */
    @Test
    void perValuePayloadsOfFeastsUnitTest() {
        assertThat(payload(ValueType.INT32, 1)).isEqualTo("03000000" + "04000000" + "01000000");
        assertThat(payload(ValueType.INT64, 1L)).isEqualTo("04000000" + "08000000" + "0100000000000000");
        assertThat(payload(ValueType.STRING, "test")).isEqualTo("02000000" + "04000000" + "74657374");
        assertThat(payload(ValueType.BYTES, "test".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("01000000" + "04000000" + "74657374");
    }

    /** The type, length and payload that end a one-key entity key. */
    private static String payload(ValueType type, Object value) {
        FeatureView view = view(new Entity("k", "k", type, null));
        String key = hex(V3.entityKey(view, EntityKey.of("k", value), "key"));
        String namePart = "01000000" + "02000000" + "01000000" + "6b";
        assertThat(key).startsWith(namePart);
        return key.substring(namePart.length());
    }

    // ---- choices and refusals -------------------------------------------------------------------------------------

    @Test
    void aNonAsciiJoinKeyNameHasItsLengthInUtf8BytesAsFeastWritesIt() {
        FeatureView view = view(new Entity("size", "größe", ValueType.INT32, null));
        byte[] key = V3.entityKey(view, EntityKey.of("größe", 1), "key");
        // 5 code points, 7 UTF-8 bytes: key_encoding_utils.py writes len(k_encoded) since Feast 0.61
        assertThat(hex(Arrays.copyOfRange(key, 8, 12))).isEqualTo("07000000");
        assertThat(EntityKeys.deserializeV3(key).key()).isEqualTo(EntityKey.of("größe", 1));
    }

    @Test
    void keyValuesAreCoercedToTheirEntitysType() {
        FeatureView drivers = view(new Entity("driver", "driver_id", ValueType.INT64, null));
        // JSON decodes small numbers as Integer; the bytes must still be an 8-byte INT64
        assertThat(V3.entityKey(drivers, EntityKey.of("driver_id", 1001), "key"))
                .isEqualTo(V3.entityKey(drivers, EntityKey.of("driver_id", 1001L), "key"));
    }

    @Test
    void keysThatDoNotMatchTheViewsEntitiesAreBadInputNamingTheField() {
        FeatureView drivers = view(new Entity("driver", "driver_id", ValueType.INT64, null));
        assertThatThrownBy(() -> V3.redisKey(drivers, EntityKey.of("rider_id", 1L), "reads[0].keys[2]"))
                .isInstanceOfSatisfying(QuiverException.class, e -> {
                    assertThat(e.kind()).isEqualTo(QuiverException.Kind.BAD_INPUT);
                    assertThat(e.field()).isEqualTo("reads[0].keys[2]");
                    assertThat(e.reason()).contains("'rider_id' is not a join key of view 'v'");
                });
        FeatureView two = view(new Entity("driver", "driver_id", ValueType.INT64, null),
                new Entity("customer", "customer_id", ValueType.STRING, null));
        assertThatThrownBy(() -> V3.redisKey(two, EntityKey.of("driver_id", 1L), "key"))
                .isInstanceOfSatisfying(QuiverException.class,
                        e -> assertThat(e.reason()).contains("must name every join key"));
        assertThatThrownBy(() -> V3.redisKey(drivers, EntityKey.of("driver_id", "one"), "key"))
                .isInstanceOfSatisfying(QuiverException.class,
                        e -> assertThat(e.field()).isEqualTo("key.driver_id"));
    }

    @Test
    void typesFeastCannotPutInAKeyAreRefused() {
        FeatureView view = view(new Entity("score", "score", ValueType.DOUBLE, null));
        assertThatThrownBy(() -> V3.redisKey(view, EntityKey.of("score", 1.0), "key"))
                .isInstanceOfSatisfying(QuiverException.class,
                        e -> assertThat(e.reason()).contains("Feast cannot serialize in a key"));
    }

    @Test
    void versions1To3AreSupported() {
        for (int version = 1; version <= 3; version++) {
            assertThat(new FeastRedisLayout("p", version).entityKeySerializationVersion()).isEqualTo(version);
        }
        assertThatThrownBy(() -> new FeastRedisLayout("p", 0)).hasMessageContaining("must be 1, 2 or 3, not 0");
        assertThatThrownBy(() -> new FeastRedisLayout("p", 4)).hasMessageContaining("must be 1, 2 or 3, not 4");
        assertThatThrownBy(() -> new FeastRedisLayout(" ", 3)).hasMessageContaining("project");
    }

    @Test
    void malformedBytesAreRefusedNotMisread() {
        // bytes_val claiming 5 bytes with none after it: INVALID, not an exception that would fail the whole read
        assertThat(FeastRedisLayout.decodeValue(hex("0a05"))).isSameAs(StoredRow.INVALID);
        assertThat(FeastRedisLayout.whyUndecodable(hex("0a05"))).contains("ended unexpectedly");
        assertThatThrownBy(() -> FeastRedisLayout.decodeTimestamp(hex("08ff")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Timestamp");
        // §1.4 D without its last byte
        assertThatThrownBy(() -> EntityKeys.deserializeV3(hex("01000000020000000900000064726976"
                + "65725f69640300000004000000070000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claims 4 bytes, 3 are left");
        assertThatThrownBy(() -> EntityKeys.deserializeV3(hex("0100000002000000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit");
    }

    @Test
    void aValueHoldingAFieldFeastsValueDoesNotHaveIsInvalidWhereverItIs() {
        // field 99 (varint 1) before int64_val 5, after it, or alone: a member of a Feast newer than this codec, or
        // not a Value at all; neither is answered as data
        assertThat(FeastRedisLayout.decodeValue(hex("980601" + "2005"))).isSameAs(StoredRow.INVALID);
        assertThat(FeastRedisLayout.decodeValue(hex("2005" + "980601"))).isSameAs(StoredRow.INVALID);
        assertThat(FeastRedisLayout.decodeValue(hex("980601"))).isSameAs(StoredRow.INVALID);
        assertThat(FeastRedisLayout.whyUndecodable(hex("980601")))
                .isEqualTo("field 99 is no member of feast.types.Value");
    }

    @Test
    void setsAndMapsFeastMayHoldDecodeToo() {
        // int64_set_val (25) {1, 2}: tag 25<<3|2 = 0xca 0x01
        assertThat(FeastRedisLayout.decodeValue(hex("ca01" + "04" + "0a020102"))).isEqualTo(Set.of(1L, 2L));
        // map_val (20) {"a": int32_val 7}: entry {key "a", value {int32 7}}
        String entry = "0a0161" + "1202" + "1807";
        assertThat(FeastRedisLayout.decodeValue(hex("a201" + "09" + "0a07" + entry))).isEqualTo(Map.of("a", 7));
    }

    private static FeatureView view(Entity... entities) {
        return new FeatureView("v", List.of(entities), List.of(), Duration.ZERO, null, null);
    }
}
