package dev.quiver.knative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The repository as the tests read it: the root pom's properties, the functions and their application.properties,
 * and the manifests under knative/. The root comes from the {@code repo.root} system property the root pom sets.
 */
final class Repo {

    static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final Path KNATIVE = ROOT.resolve("knative");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A document of a manifest file: the file, its position in the file (0-based) and its content. */
    record Manifest(Path file, int index, JsonNode doc) {

        String kind() {
            return doc.path("kind").asText();
        }

        String apiVersion() {
            return doc.path("apiVersion").asText();
        }

        String name() {
            return doc.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return KNATIVE.relativize(file) + "#" + index + " (" + kind() + " " + name() + ")";
        }
    }

    private Repo() {
    }

    /** The properties the root pom.xml declares, by name, as written there. */
    static Map<String, String> rootPomProperties() {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(false);
            Document pom = factory.newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
            Element properties = (Element) pom.getDocumentElement().getElementsByTagName("properties").item(0);
            Map<String, String> out = new TreeMap<>();
            for (Node n = properties.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    out.put(e.getTagName(), e.getTextContent().trim());
                }
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the root pom.xml", e);
        }
    }

    /** The functions: each folder under functions/ with a Quarkus application.properties of its own. */
    static List<String> functions() {
        try (Stream<Path> dirs = Files.list(ROOT.resolve("functions"))) {
            return dirs.filter(d -> Files.isRegularFile(applicationProperties(d.getFileName().toString())))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path functionDir(String function) {
        return ROOT.resolve("functions").resolve(function);
    }

    static Path applicationProperties(String function) {
        return functionDir(function).resolve("src/main/resources/application.properties");
    }

    /**
     * A function's application.properties as the production profile sees it: {@code %prod.} keys win, other
     * profiles' are left out.
     */
    static Map<String, String> prodProperties(String function) {
        Properties raw = new Properties();
        try (Reader in = Files.newBufferedReader(applicationProperties(function))) {
            raw.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new TreeMap<>();
        raw.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).forEach(k -> out.put(k, raw.getProperty(k)));
        raw.stringPropertyNames().stream().filter(k -> k.startsWith("%prod."))
                .forEach(k -> out.put(k.substring("%prod.".length()), raw.getProperty(k)));
        return out;
    }

    /** Every YAML file under knative/ that Kubernetes takes: all but the module's sources, build and kustomization. */
    static List<Path> manifestFiles() {
        try (Stream<Path> files = Files.walk(KNATIVE)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !KNATIVE.relativize(p).startsWith("src"))
                    .filter(p -> !KNATIVE.relativize(p).startsWith("target"))
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of every manifest file. */
    static List<Manifest> manifests() {
        List<Manifest> out = new ArrayList<>();
        manifestFiles().forEach(f -> out.addAll(documents(f)));
        return out;
    }

    /** The documents of one YAML file; comments and empty documents are skipped. */
    static List<Manifest> documents(Path file) {
        List<Manifest> out = new ArrayList<>();
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            int i = 0;
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    out.add(new Manifest(file, i++, doc));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    /** The manifests of the deployment itself, as kustomization.yaml lists them (the rollout steps are not). */
    static List<Manifest> deployed() {
        JsonNode kustomization = documents(KNATIVE.resolve("kustomization.yaml")).get(0).doc();
        List<Manifest> out = new ArrayList<>();
        kustomization.path("resources").forEach(r -> out.addAll(documents(KNATIVE.resolve(r.asText()))));
        return out;
    }

    /** The deployed manifests of one kind. */
    static List<Manifest> deployed(String kind) {
        return deployed().stream().filter(m -> m.kind().equals(kind)).toList();
    }

    /** The Knative Service of a function, named quiver-&lt;function&gt;. */
    static Manifest service(String function) {
        return deployed("Service").stream().filter(m -> m.name().equals("quiver-" + function)).findFirst()
                .orElseThrow(() -> new AssertionError("no Knative Service quiver-" + function
                        + " in kustomization.yaml"));
    }

    /** The container of a function's Knative Service (Knative serves one container a revision here). */
    static JsonNode container(String function) {
        JsonNode containers = service(function).doc().path("spec").path("template").path("spec").path("containers");
        if (containers.size() != 1) {
            throw new AssertionError("quiver-" + function + " has " + containers.size() + " containers, expected 1");
        }
        return containers.get(0);
    }

    /** A container's env, name to value. */
    static Map<String, String> env(JsonNode container) {
        Map<String, String> out = new TreeMap<>();
        container.path("env").forEach(e -> out.put(e.path("name").asText(), e.path("value").asText(null)));
        return out;
    }

    static ObjectNode readYaml(String text) {
        try {
            return (ObjectNode) YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
