package dev.quiver.redis.feast;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.feature.StoredRow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.quiver.redis.feast.Golden.ROOT;
import static dev.quiver.redis.feast.Golden.comparable;
import static dev.quiver.redis.feast.Golden.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Decoding every member of Feast's {@code feast.types.Value} against golden.json, whose bytes the protobuf classes that
 * protoc generates from Feast's own Value.proto wrote (make_golden.py), and whose expected values protobuf read back
 * and rendered as Feast's feature server renders them. Bytes Feast cannot read either decode to
 * {@link StoredRow#INVALID}, never to an exception.
 */
class FeastValuesTest {

    @Test
    void theGoldenCasesCoverEveryMemberOfFeastsValue() {
        Set<String> members = new HashSet<>();
        ROOT.get("valueMembers").forEach(m -> members.add(m.get("name").asText()));
        // Value.proto at the golden commit: 8 scalars, 8 lists, null, map, map list, 8 sets, json, json list, struct,
        // struct list, 6 uuid members, list, set, 3 decimal members, scalar map, zoned timestamp
        assertThat(members).hasSize(44).contains("json_val", "uuid_val", "decimal_set_val", "scalar_map_val",
                "zoned_timestamp_val");

        Set<String> covered = new HashSet<>();
        for (JsonNode c : ROOT.get("feastValues")) {
            JsonNode expected = c.get("expected");
            if (expected != null && !expected.isNull()) {
                covered.add(expected.fieldNames().next());
            }
        }
        members.remove("null_val");
        assertThat(covered).containsAll(members);
    }

    @Test
    void everyGoldenValueDecodesAsFeastReadsIt() {
        assertThat(ROOT.get("feastValues")).hasSizeGreaterThan(90);
        for (JsonNode c : ROOT.get("feastValues")) {
            Object decoded = FeastRedisLayout.decodeValue(hex(c.get("hex").asText()));
            Object expected = Golden.feastValue(c.get("expected"));
            assertThat(decoded).as(c.get("name").asText()).isNotSameAs(StoredRow.INVALID);
            assertThat(comparable(decoded)).as(c.get("name").asText()).isEqualTo(comparable(expected));
        }
    }

    @Test
    void everyUndecodableValueIsInvalidWithAReasonAndNeverThrows() {
        assertThat(ROOT.get("undecodableValues")).hasSizeGreaterThan(45);
        for (JsonNode c : ROOT.get("undecodableValues")) {
            byte[] bytes = hex(c.get("hex").asText());
            String name = c.get("name").asText() + " (Feast: " + c.get("feast").asText() + ")";
            // a boolean: a wrongly decoded value, two hundred lists deep, takes AssertJ minutes to print
            assertThat(FeastRedisLayout.decodeValue(bytes) == StoredRow.INVALID).as(name).isTrue();
            assertThat(FeastRedisLayout.whyUndecodable(bytes)).as(name).isNotBlank().isNotEqualTo("no reason found");
        }
    }

    @Test
    void aFieldNumberFeastsValueDoesNotHaveIsInvalidWhateverItsWireType() {
        Set<Integer> members = new HashSet<>();
        ROOT.get("valueMembers").forEach(m -> members.add(m.get("number").intValue()));
        int checked = 0;
        for (int field = 1; field <= 100; field++) {
            if (members.contains(field)) {
                continue; // everyGoldenValueDecodesAsFeastReadsIt decodes each member
            }
            byte[][] payloads = {concat(tag(field, 0), new byte[] {1}), concat(tag(field, 2), new byte[] {0}),
                    concat(tag(field, 5), new byte[4]), concat(tag(field, 1), new byte[8])};
            for (byte[] payload : payloads) {
                assertThat(FeastRedisLayout.decodeValue(payload)).as("field %d", field).isSameAs(StoredRow.INVALID);
            }
            checked++;
        }
        // 9, 10, 30, 31 and 49 to 100
        assertThat(checked).isEqualTo(56);
    }

    @Test
    void theWhyOfADecodableValueIsNull() {
        assertThat(FeastRedisLayout.whyUndecodable(new byte[0])).isNull();
        assertThat(FeastRedisLayout.whyUndecodable(hex("202a"))).isNull();
    }

    @Test
    void decodedCollectionsAreUnmodifiable() {
        List<Object> collections = new ArrayList<>();
        for (JsonNode c : ROOT.get("feastValues")) {
            Object decoded = FeastRedisLayout.decodeValue(hex(c.get("hex").asText()));
            if (decoded instanceof java.util.Collection<?> || decoded instanceof Map<?, ?>) {
                collections.add(decoded);
            }
        }
        assertThat(collections).hasSizeGreaterThan(40);
        for (Object c : collections) {
            if (c instanceof java.util.Collection<?> collection) {
                assertThatThrownBy(collection::clear).as(c.toString())
                        .isInstanceOf(UnsupportedOperationException.class);
            } else {
                assertThatThrownBy(((Map<?, ?>) c)::clear).as(c.toString())
                        .isInstanceOf(UnsupportedOperationException.class);
            }
        }
    }

    private static byte[] tag(int field, int wireType) {
        long tag = (long) field << 3 | wireType;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (tag >= 0x80) {
            out.write((int) (tag & 0x7f) | 0x80);
            tag >>>= 7;
        }
        out.write((int) tag);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
