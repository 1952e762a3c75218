package dev.quiver.knative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Quarkus's defaults of the configuration keys the manifests depend on, read from the configuration model that each
 * Quarkus extension jar carries (META-INF/quarkus-config-doc/quarkus-config-model.json) for the Quarkus version the
 * build uses, so that a default changed by an upgrade shows up here rather than in a failing probe.
 */
final class QuarkusDefaults {

    private static final String MODEL = "META-INF/quarkus-config-doc/quarkus-config-model.json";
    private static final Map<String, String> DEFAULTS = load();

    private QuarkusDefaults() {
    }

    /** The default of a key; {@link AssertionError} when no extension on the test class path declares one. */
    static String of(String key) {
        String value = DEFAULTS.get(key);
        if (value == null) {
            throw new AssertionError("no Quarkus configuration model on the class path gives a default for " + key);
        }
        return value;
    }

    /** A function's value of a key: its application.properties, else Quarkus's default. */
    static String value(Map<String, String> properties, String key) {
        return properties.containsKey(key) ? properties.get(key) : of(key);
    }

    /**
     * The path SmallRye Health answers a probe on: {@code quarkus.smallrye-health.<probe>-path} under the health root
     * under the non-application root under the HTTP root, each taken as it is when it starts with a slash.
     *
     * @param probe {@code liveness} or {@code readiness}
     */
    static String healthPath(Map<String, String> properties, String probe) {
        String root = value(properties, "quarkus.http.root-path");
        String nonApplication = under(root, value(properties, "quarkus.http.non-application-root-path"));
        String health = under(nonApplication, value(properties, "quarkus.smallrye-health.root-path"));
        return under(health, value(properties, "quarkus.smallrye-health." + probe + "-path"));
    }

    private static String under(String parent, String path) {
        String joined = path.startsWith("/") ? path : parent + "/" + path;
        return joined.replaceAll("/+", "/");
    }

    private static Map<String, String> load() {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> out = new TreeMap<>();
        try {
            for (URL model : Collections.list(QuarkusDefaults.class.getClassLoader().getResources(MODEL))) {
                try (InputStream in = model.openStream()) {
                    collect(json.readTree(in), out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void collect(JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            JsonNode property = node.path("path").path("property");
            if (property.isTextual() && node.has("defaultValue") && !node.get("defaultValue").isNull()) {
                out.putIfAbsent(property.asText(), node.get("defaultValue").asText());
            }
        }
        node.forEach(child -> collect(child, out));
    }
}
