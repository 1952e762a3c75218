package dev.quiver.redis.feast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.feature.Entity;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.Feature;
import dev.quiver.feature.FeatureView;
import dev.quiver.feature.ValueType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The golden vectors of {@code feast-golden/golden.json}, written by {@code make_golden.py} beside it from an
 * independent re-implementation of Feast's Python code, and helpers that turn its JSON into Quiver's types.
 */
final class Golden {

    static final JsonNode ROOT = load();

    private Golden() {
    }

    private static JsonNode load() {
        try (InputStream in = Golden.class.getResourceAsStream("/feast-golden/golden.json")) {
            if (in == null) {
                throw new IllegalStateException("feast-golden/golden.json is not on the test class path");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The canonical Java value of a golden value: bytes are hex, non-finite reals are strings. */
    static Object value(ValueType type, JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        return switch (type) {
            case BYTES -> hex(v.asText());
            case STRING -> v.asText();
            case INT32 -> v.intValue();
            case INT64, UNIX_TIMESTAMP -> v.longValue();
            case DOUBLE -> v.isTextual() ? Double.parseDouble(real(v.asText())) : v.doubleValue();
            case FLOAT -> v.isTextual() ? Float.parseFloat(real(v.asText())) : (float) v.doubleValue();
            case BOOL -> v.booleanValue();
        };
    }

    private static String real(String python) {
        return switch (python) {
            case "inf" -> "Infinity";
            case "-inf" -> "-Infinity";
            case "nan" -> "NaN";
            default -> python;
        };
    }

    /**
     * The Java value a golden typed Value ({@code {"<oneof member>": payload}}, or null; see make_golden.py) decodes
     * to, as {@link dev.quiver.redis.feast.FeastValues} documents it.
     */
    static Object feastValue(JsonNode typed) {
        if (typed == null || typed.isNull()) {
            return null;
        }
        Map.Entry<String, JsonNode> only = typed.fields().next();
        String member = only.getKey();
        JsonNode payload = only.getValue();
        return switch (member) {
            case "bytes_val", "string_val", "int32_val", "int64_val", "double_val", "float_val", "bool_val",
                 "unix_timestamp_val", "json_val", "uuid_val", "time_uuid_val", "decimal_val",
                 "zoned_timestamp_val" -> scalar(member, payload);
            case "map_val", "struct_val" -> map(payload);
            case "map_list_val", "struct_list_val" -> {
                List<Object> maps = new ArrayList<>();
                payload.forEach(m -> maps.add(map(m)));
                yield maps;
            }
            case "list_val", "set_val" -> {
                List<Object> values = new ArrayList<>();
                payload.forEach(v -> values.add(feastValue(v)));
                yield member.equals("set_val") ? new LinkedHashSet<>(values) : values;
            }
            case "scalar_map_val" -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (JsonNode pair : payload) {
                    Map.Entry<String, JsonNode> key = pair.get(0).fields().next();
                    map.put(scalar(key.getKey(), key.getValue()), feastValue(pair.get(1)));
                }
                yield map;
            }
            default -> {
                if (!member.endsWith("_list_val") && !member.endsWith("_set_val")) {
                    throw new IllegalArgumentException("no member " + member);
                }
                String element = member.replaceFirst("_(list|set)_val$", "_val");
                List<Object> values = new ArrayList<>();
                payload.forEach(v -> values.add(scalar(element, v)));
                yield member.endsWith("_set_val") ? new LinkedHashSet<>(values) : values;
            }
        };
    }

    /** A scalar member's value, or a MapKey's: its payload as the member's Java class. */
    private static Object scalar(String member, JsonNode v) {
        return switch (member) {
            case "bytes_val", "bytes_key" -> hex(v.asText());
            case "string_val", "json_val", "uuid_val", "time_uuid_val", "decimal_val", "zoned_timestamp_val",
                 "uuid_key", "time_uuid_key", "decimal_key" -> v.asText();
            case "int32_val", "int32_key" -> v.intValue();
            case "int64_val", "unix_timestamp_val", "int64_key", "unix_timestamp_key" -> v.longValue();
            case "double_val", "double_key" -> v.isTextual() ? Double.parseDouble(real(v.asText())) : v.doubleValue();
            case "float_val", "float_key" -> v.isTextual() ? Float.parseFloat(real(v.asText()))
                    : (float) v.doubleValue();
            case "bool_val", "bool_key" -> v.booleanValue();
            default -> throw new IllegalArgumentException("no scalar member " + member);
        };
    }

    private static Map<String, Object> map(JsonNode object) {
        Map<String, Object> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), feastValue(e.getValue())));
        return map;
    }

    /** Bytes compared by content, where {@code byte[]} compares by identity. */
    record Bytes(String hex) {
    }

    /**
     * {@code value} with every {@code byte[]}, however deep, replaced by {@link Bytes}, and collections copied keeping
     * their kind (list, set, map), so that {@code equals} compares content and classes: Integer is not Long, a set is
     * not a list.
     */
    static Object comparable(Object value) {
        if (value instanceof byte[] bytes) {
            return new Bytes(hex(bytes));
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(comparable(v)));
            return copy;
        }
        if (value instanceof Set<?> set) {
            Set<Object> copy = new LinkedHashSet<>();
            set.forEach(v -> copy.add(comparable(v)));
            return copy;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(comparable(k), comparable(v)));
            return copy;
        }
        return value;
    }

    /** The entity key of a golden {@code keys} array. */
    static EntityKey key(JsonNode keys) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (JsonNode k : keys) {
            values.put(k.get("joinKey").asText(), value(ValueType.valueOf(k.get("type").asText()), k.get("value")));
        }
        return EntityKey.of(values);
    }

    /** A view keyed by the join keys of a golden {@code keys} array, one entity per join key, with no features. */
    static FeatureView viewFor(JsonNode keys) {
        return view("v", keys, List.of());
    }

    /** The view of the golden hash called {@code name}. */
    static FeatureView hashView(String name) {
        JsonNode hash = ROOT.get("hash");
        for (JsonNode v : hash.get("views")) {
            if (v.get("view").asText().equals(name)) {
                List<Feature> features = new ArrayList<>();
                for (JsonNode f : v.get("features")) {
                    features.add(new Feature(f.get("name").asText(), ValueType.valueOf(f.get("type").asText())));
                }
                return view(name, hash.get("keys"), features);
            }
        }
        throw new IllegalArgumentException("no view " + name + " in the golden hash");
    }

    private static FeatureView view(String name, JsonNode keys, List<Feature> features) {
        List<Entity> entities = new ArrayList<>();
        for (JsonNode k : keys) {
            String joinKey = k.get("joinKey").asText();
            entities.add(new Entity(joinKey, joinKey, ValueType.valueOf(k.get("type").asText()), null));
        }
        return new FeatureView(name, entities, features, Duration.ZERO, null, null);
    }
}
