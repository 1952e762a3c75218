package dev.quiver.onlinestore.redis;

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
import java.util.List;
import java.util.Map;

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
