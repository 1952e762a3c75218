package dev.quiver.knative;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every manifest under knative/ is one Kubernetes would take: each of a kind with a CRD in knative-crds/ validates
 * against that CRD's schema, the SinkBinding (whose CRD is not among them) passes the structural checks below, the
 * kustomization lists exactly the deployment's files, and every reference between the objects resolves.
 */
class ManifestSchemaTest {

    private static final CrdSchemas CRDS = new CrdSchemas();

    /** Kinds without a CRD here, each checked by its own test below. */
    private static final Set<String> CHECKED_APART = Set.of("sources.knative.dev/v1 SinkBinding");

    static Stream<Repo.Manifest> manifests() {
        return Repo.manifests().stream();
    }

    static Stream<Repo.Manifest> withCrd() {
        return manifests().filter(m -> CRDS.knows(m.apiVersion(), m.kind()));
    }

    @Test
    void everyManifestIsOfAKindWithACrdOrCheckedApart() {
        assertThat(Repo.manifests()).isNotEmpty();
        for (Repo.Manifest m : Repo.manifests()) {
            assertThat(CRDS.knows(m.apiVersion(), m.kind()) || CHECKED_APART.contains(m.apiVersion() + " " + m.kind()))
                    .as("%s: %s %s has no CRD in knative-crds/ and no structural check", m, m.apiVersion(), m.kind())
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withCrd")
    void validatesAgainstItsCrd(Repo.Manifest manifest) {
        assertThat(CRDS.validate(manifest.doc())).as("%s against its CRD's openAPIV3Schema", manifest).isEmpty();
    }

    @Test
    void sinkBindingsAreWellFormed() {
        List<Repo.Manifest> bindings = Repo.manifests().stream().filter(m -> m.kind().equals("SinkBinding")).toList();
        assertThat(bindings).as("the team sink's SinkBinding").isNotEmpty();
        for (Repo.Manifest m : bindings) {
            assertThat(sinkBindingProblems(m.doc())).as("%s", m).isEmpty();
        }
    }

    @Test
    void theKustomizationListsEveryManifestButTheRolloutSteps() {
        Set<Path> listed = new TreeSet<>();
        Repo.documents(Repo.KNATIVE.resolve("kustomization.yaml")).get(0).doc().path("resources")
                .forEach(r -> listed.add(Repo.KNATIVE.resolve(r.asText()).normalize()));
        Set<Path> expected = new TreeSet<>();
        Repo.manifestFiles().stream().filter(p -> !Repo.KNATIVE.relativize(p).startsWith(TrafficSplit.ROLLOUT_DIR
                .substring("knative/".length()))).forEach(expected::add);
        assertThat(listed).isEqualTo(expected);
    }

    @Test
    void everyReferenceNamesADeployedObject() {
        Set<String> deployed = new TreeSet<>();
        Repo.deployed().forEach(m -> deployed.add(m.apiVersion() + " " + m.kind() + " " + m.name()));
        List<String> dangling = new ArrayList<>();
        for (Repo.Manifest m : Repo.deployed()) {
            JsonNode spec = m.doc().path("spec");
            switch (m.kind()) {
                case "Trigger" -> {
                    ref(deployed, m, "eventing.knative.dev/v1 Broker " + spec.path("broker").asText(), dangling);
                    ref(deployed, m, spec.path("subscriber").path("ref"), dangling);
                }
                case "Broker" -> ref(deployed, m, spec.path("delivery").path("deadLetterSink").path("ref"), dangling);
                case "PingSource", "SinkBinding" -> ref(deployed, m, spec.path("sink").path("ref"), dangling);
                default -> {
                }
            }
        }
        assertThat(dangling).isEmpty();
    }

    @Test
    void theSinkBindingSelectsServicesThatExist() {
        for (Repo.Manifest binding : Repo.deployed("SinkBinding")) {
            JsonNode labels = binding.doc().path("spec").path("subject").path("selector").path("matchLabels");
            List<String> selected = Repo.deployed("Service").stream().filter(s -> {
                JsonNode have = s.doc().path("metadata").path("labels");
                List<String> missing = new ArrayList<>();
                labels.fields().forEachRemaining(l -> {
                    if (!l.getValue().asText().equals(have.path(l.getKey()).asText(null))) {
                        missing.add(l.getKey());
                    }
                });
                return missing.isEmpty();
            }).map(Repo.Manifest::name).toList();
            assertThat(selected).as("Services %s selects", binding).isNotEmpty();
        }
    }

    private static void ref(Set<String> deployed, Repo.Manifest from, JsonNode ref, List<String> dangling) {
        ref(deployed, from, ref.path("apiVersion").asText() + " " + ref.path("kind").asText() + " "
                + ref.path("name").asText(), dangling);
    }

    private static void ref(Set<String> deployed, Repo.Manifest from, String ref, List<String> dangling) {
        if (!deployed.contains(ref)) {
            dangling.add(from + " -> " + ref);
        }
    }

    /**
     * What the API server and Knative's webhook would refuse in a SinkBinding, as far as its Go types
     * (knative.dev/eventing pkg/apis/sources/v1 SinkBindingSpec: SourceSpec's sink and ceOverrides, and a
     * tracker.Reference subject) say: the fields, a subject named by exactly one of name and selector, and a sink
     * by ref or uri.
     */
    static List<String> sinkBindingProblems(JsonNode binding) {
        List<String> problems = new ArrayList<>();
        only(binding, Set.of("apiVersion", "kind", "metadata", "spec"), "$", problems);
        if (!binding.path("apiVersion").asText().equals("sources.knative.dev/v1")) {
            problems.add("apiVersion: not sources.knative.dev/v1");
        }
        String name = binding.path("metadata").path("name").asText("");
        if (!name.matches(CrdSchemas.DNS_1123_SUBDOMAIN) || name.length() > 253) {
            problems.add("metadata.name: '" + name + "' is not a DNS-1123 subdomain");
        }
        JsonNode spec = binding.path("spec");
        only(spec, Set.of("subject", "sink", "ceOverrides"), "spec", problems);
        JsonNode subject = spec.path("subject");
        only(subject, Set.of("apiVersion", "kind", "namespace", "name", "selector"), "spec.subject", problems);
        for (String f : List.of("apiVersion", "kind")) {
            if (subject.path(f).asText("").isEmpty()) {
                problems.add("spec.subject." + f + ": required");
            }
        }
        if (subject.has("name") == subject.has("selector")) {
            problems.add("spec.subject: exactly one of name and selector");
        }
        if (subject.has("selector")) {
            JsonNode selector = subject.get("selector");
            only(selector, Set.of("matchLabels", "matchExpressions"), "spec.subject.selector", problems);
            selector.path("matchLabels").fields().forEachRemaining(l -> {
                if (!l.getValue().isTextual()) {
                    problems.add("spec.subject.selector.matchLabels." + l.getKey() + ": not a string");
                }
            });
        }
        JsonNode sink = spec.path("sink");
        only(sink, Set.of("ref", "uri", "CACerts", "audience"), "spec.sink", problems);
        if (!sink.has("ref") && !sink.has("uri")) {
            problems.add("spec.sink: a ref or a uri is required");
        }
        if (sink.has("ref")) {
            only(sink.get("ref"), Set.of("apiVersion", "kind", "name", "namespace"), "spec.sink.ref", problems);
            for (String f : List.of("apiVersion", "kind", "name")) {
                if (sink.get("ref").path(f).asText("").isEmpty()) {
                    problems.add("spec.sink.ref." + f + ": required");
                }
            }
        }
        return problems;
    }

    private static void only(JsonNode node, Set<String> allowed, String at, List<String> problems) {
        if (!node.isObject()) {
            problems.add(at + ": not an object");
            return;
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                problems.add(at + "." + f + ": unknown field");
            }
        });
    }
}
