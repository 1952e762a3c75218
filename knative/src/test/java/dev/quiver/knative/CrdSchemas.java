package dev.quiver.knative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Knative CRDs in src/test/resources/knative-crds/ as validators of manifests, by apiVersion and kind.
 *
 * <p>A CRD's openAPIV3Schema is a structural schema that the API server applies with Kubernetes' own rules, which
 * plain JSON Schema does not know; each is translated here into JSON Schema (draft 2020-12) so that a manifest is
 * refused where {@code kubectl apply} (strict field validation, kubectl's default) refuses it:
 * <ul>
 *   <li>an object schema without {@code x-kubernetes-preserve-unknown-fields: true} or {@code additionalProperties}
 *       takes no field it does not name ({@code additionalProperties: false}): the API server would reject, or
 *       prune, an unknown field there;</li>
 *   <li>{@code x-kubernetes-int-or-string} already comes with its {@code anyOf} of integer and string in these CRDs;
 *       {@code nullable: true} admits null;</li>
 *   <li>{@code x-kubernetes-list-type: set} means unique items; {@code map} with {@code x-kubernetes-list-map-keys}
 *       means no two items with the same keys, checked apart from JSON Schema (it cannot say that);</li>
 *   <li>the root's {@code apiVersion}, {@code kind} and {@code metadata}, which the eventing CRDs leave out of their
 *       schema because the API server checks them itself, are checked as it does: the CRD's group/version and kind,
 *       and an ObjectMeta whose name is a DNS-1123 subdomain.</li>
 * </ul>
 * Not translated: {@code format} (int32, int64 ranges) and the validations Knative's webhooks make beyond the schema.
 */
final class CrdSchemas {

    static final List<String> CRD_FILES = List.of("serving-service.yaml", "serving-configuration.yaml",
            "serving-revision.yaml", "serving-route.yaml", "eventing-broker.yaml", "eventing-trigger.yaml",
            "eventing-pingsource.yaml");

    /** Kubernetes' DNS-1123 subdomain, what a namespaced object's name must be. */
    static final String DNS_1123_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One served version of a CRD: its translated schema and the original, for the list-map check. */
    private record Served(Schema schema, JsonNode original) {
    }

    private final Map<String, Served> byApiVersionAndKind = new TreeMap<>();

    CrdSchemas() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        for (String file : CRD_FILES) {
            JsonNode crd = read(file);
            String group = crd.path("spec").path("group").asText();
            String kind = crd.path("spec").path("names").path("kind").asText();
            for (JsonNode version : crd.path("spec").path("versions")) {
                if (!version.path("served").asBoolean()) {
                    continue;
                }
                String apiVersion = group + "/" + version.path("name").asText();
                JsonNode original = version.path("schema").path("openAPIV3Schema");
                byApiVersionAndKind.put(apiVersion + " " + kind,
                        new Served(registry.getSchema(jsonSchema(original, apiVersion, kind)), original));
            }
        }
    }

    /** The apiVersion/kind pairs a CRD here serves, as "group/version Kind". */
    Set<String> kinds() {
        return byApiVersionAndKind.keySet();
    }

    boolean knows(String apiVersion, String kind) {
        return byApiVersionAndKind.containsKey(apiVersion + " " + kind);
    }

    /** What is wrong with a manifest under its kind's schema: empty when it validates. */
    List<String> validate(JsonNode manifest) {
        String apiVersion = manifest.path("apiVersion").asText();
        String kind = manifest.path("kind").asText();
        Served served = byApiVersionAndKind.get(apiVersion + " " + kind);
        if (served == null) {
            return List.of("no CRD here serves " + apiVersion + " " + kind);
        }
        List<String> errors = new ArrayList<>();
        served.schema().validate(manifest).forEach(e -> errors.add(e.toString()));
        listMapKeys(served.original(), manifest, "$", errors);
        return errors;
    }

    private static JsonNode read(String file) {
        try (InputStream in = CrdSchemas.class.getResourceAsStream("/knative-crds/" + file)) {
            if (in == null) {
                throw new IllegalStateException("knative-crds/" + file + " is not on the test class path");
            }
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CRD version's openAPIV3Schema as JSON Schema, with the root checked as the API server does. */
    static ObjectNode jsonSchema(JsonNode openApiV3Schema, String apiVersion, String kind) {
        ObjectNode root = translate(openApiV3Schema);
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        ObjectNode properties = root.has("properties") ? (ObjectNode) root.get("properties")
                : root.putObject("properties");
        properties.putObject("apiVersion").put("const", apiVersion);
        properties.putObject("kind").put("const", kind);
        properties.set("metadata", objectMeta());
        ArrayNode required = NODES.arrayNode().add("apiVersion").add("kind").add("metadata");
        root.set("required", required);
        root.put("additionalProperties", false);
        return root;
    }

    /** The fields of ObjectMeta a manifest may set; the rest (uid, resourceVersion, ...) the API server writes. */
    private static ObjectNode objectMeta() {
        ObjectNode meta = NODES.objectNode().put("type", "object").put("additionalProperties", false);
        meta.putArray("required").add("name");
        ObjectNode p = meta.putObject("properties");
        p.putObject("name").put("type", "string").put("maxLength", 253).put("pattern", DNS_1123_SUBDOMAIN);
        p.putObject("namespace").put("type", "string").put("maxLength", 63).put("pattern", DNS_1123_SUBDOMAIN);
        p.putObject("labels").put("type", "object").putObject("additionalProperties").put("type", "string");
        p.putObject("annotations").put("type", "object").putObject("additionalProperties").put("type", "string");
        p.putObject("finalizers").put("type", "array").putObject("items").put("type", "string");
        return meta;
    }

    private static ObjectNode translate(JsonNode schema) {
        ObjectNode out = NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = f.getKey();
            JsonNode value = f.getValue();
            switch (key) {
                case "properties" -> {
                    ObjectNode props = out.putObject("properties");
                    value.fields().forEachRemaining(p -> props.set(p.getKey(), translate(p.getValue())));
                }
                case "items" -> out.set("items", translate(value));
                case "additionalProperties" -> out.set(key, value.isObject() ? translate(value) : value);
                case "anyOf", "allOf", "oneOf" -> {
                    ArrayNode list = out.putArray(key);
                    value.forEach(v -> list.add(translate(v)));
                }
                case "not" -> out.set(key, translate(value));
                // description is noise in errors; format is not asserted (see the class comment); the rest of the
                // x-kubernetes-* extensions are applied below or apart
                case "description", "format", "nullable" -> {
                }
                default -> {
                    if (!key.startsWith("x-kubernetes-")) {
                        out.set(key, value);
                    }
                }
            }
        }
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        boolean isObject = "object".equals(schema.path("type").asText()) || schema.has("properties");
        if (isObject && !preserve && !schema.has("additionalProperties")) {
            out.put("additionalProperties", false);
        }
        if ("set".equals(schema.path("x-kubernetes-list-type").asText())) {
            out.put("uniqueItems", true);
        }
        if (schema.path("nullable").asBoolean(false) && out.has("type")) {
            out.set("type", NODES.arrayNode().add(out.get("type").asText()).add("null"));
        }
        return out;
    }

    /** Lists of {@code x-kubernetes-list-type: map} hold at most one item for each value of their keys. */
    private static void listMapKeys(JsonNode schema, JsonNode value, String at, List<String> errors) {
        if (schema == null || value == null || schema.isMissingNode()) {
            return;
        }
        if (value.isObject()) {
            JsonNode props = schema.path("properties");
            value.fields().forEachRemaining(f -> {
                JsonNode child = props.has(f.getKey()) ? props.get(f.getKey()) : schema.get("additionalProperties");
                if (child != null && child.isObject()) {
                    listMapKeys(child, f.getValue(), at + "." + f.getKey(), errors);
                }
            });
        } else if (value.isArray()) {
            if ("map".equals(schema.path("x-kubernetes-list-type").asText())) {
                Set<String> seen = new HashSet<>();
                for (JsonNode item : value) {
                    StringBuilder key = new StringBuilder();
                    schema.path("x-kubernetes-list-map-keys")
                            .forEach(k -> key.append(item.path(k.asText())).append('\0'));
                    if (!seen.add(key.toString())) {
                        errors.add(at + ": two items with the same " + schema.path("x-kubernetes-list-map-keys")
                                + " " + key.toString().replace('\0', ' ').trim());
                    }
                }
            }
            int i = 0;
            for (JsonNode item : value) {
                listMapKeys(schema.path("items"), item, at + "[" + i++ + "]", errors);
            }
        }
    }
}
