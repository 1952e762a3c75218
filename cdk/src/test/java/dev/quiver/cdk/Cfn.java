package dev.quiver.cdk;

import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reading a synthesized template's resources as the maps and lists jsii hands back. */
final class Cfn {

    private Cfn() {
    }

    /** The resources of {@code type}, by logical id. */
    static Map<String, Map<String, Object>> resources(Template t, String type) {
        Map<String, Map<String, Object>> found = t.findResources(type);
        return found.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> props(e.getValue())));
    }

    /** A resource's Properties. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> props(Map<String, Object> resource) {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    /** The value at a path of keys (and list indexes) under {@code node}; null where it is absent. */
    @SuppressWarnings("unchecked")
    static Object at(Object node, Object... path) {
        Object n = node;
        for (Object p : path) {
            if (n instanceof Map<?, ?> m) {
                n = m.get(p);
            } else if (n instanceof List<?> l && p instanceof Integer i) {
                n = i < l.size() ? l.get(i) : null;
            } else {
                return null;
            }
        }
        return n;
    }

    static int integer(Object node, Object... path) {
        return ((Number) Objects.requireNonNull(at(node, path), () -> "nothing at " + List.of(path))).intValue();
    }

    static double number(Object node, Object... path) {
        return ((Number) Objects.requireNonNull(at(node, path), () -> "nothing at " + List.of(path))).doubleValue();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, Object... path) {
        Object v = at(node, path);
        return v == null ? List.of() : v instanceof List<?> l ? (List<Object>) l : List.of(v);
    }

    /** The logical id a {@code {"Ref": id}} or {@code {"Fn::GetAtt": [id, attr]}} names. */
    static String ref(Object node) {
        if (at(node, "Ref") instanceof String s) {
            return s;
        }
        Object att = at(node, "Fn::GetAtt", 0);
        return att instanceof String s ? s : null;
    }

    /**
     * The one logical id of {@code type} made from construct id {@code prefix}: the prefix and CDK's 8-digit hash, so
     * that {@code Predict} does not also find {@code PredictEvents}.
     */
    static String id(Template t, String type, String prefix) {
        Pattern logicalId = Pattern.compile(Pattern.quote(prefix) + "[0-9A-F]{8}");
        List<String> ids = t.findResources(type).keySet().stream().filter(k -> logicalId.matcher(k).matches()).toList();
        if (ids.size() != 1) {
            throw new AssertionError("expected one " + type + " named " + prefix + "*, found " + ids);
        }
        return ids.get(0);
    }
}
