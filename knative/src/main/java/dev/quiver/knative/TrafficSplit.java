package dev.quiver.knative;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.quiver.registry.Catalog;
import dev.quiver.rollout.Assignment;
import dev.quiver.rollout.RolloutPolicy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A model's rollout policy as the traffic split of the predict function's Knative Service: at step {@code i} the
 * revision tagged {@value #CANDIDATE} (the one serving the challenger) takes the policy's challenger share,
 * {@link RolloutPolicy#weightAt}, and the revision tagged {@value #CURRENT} the rest. Both revisions are named, so
 * that deploying a third revision mid-rollout moves no traffic; each tag also gets its own URL
 * ({@code current-quiver-predict...}, {@code candidate-quiver-predict...}) for checking either arm alone.
 *
 * <p>Knative splits traffic in whole percents and cannot copy it, so a policy whose shares are not whole percents,
 * or a shadow rollout, is refused with {@link IllegalArgumentException} on construction.
 */
public final class TrafficSplit {

    /** The tag of the revision serving before the rollout. */
    public static final String CURRENT = "current";
    /** The tag of the revision being rolled out. */
    public static final String CANDIDATE = "candidate";
    /** The Knative Service a model with {@code target: function} is served by, relative to the repository root. */
    public static final String PREDICT_SERVICE = "knative/serving/predict.yaml";
    /** Where {@link #main} writes a model's rendered steps, relative to the repository root. */
    public static final String ROLLOUT_DIR = "knative/rollout";

    private static final int BASIS_POINTS_PER_PERCENT = Assignment.BUCKETS / 100;

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // "0" and "8080" stay strings: annotations and env values must be, and unquoted YAML reads them as numbers
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    /**
     * One entry of a Service's {@code spec.traffic}.
     *
     * @param tag          {@value #CURRENT} or {@value #CANDIDATE}
     * @param revisionName the Knative revision, as {@code kubectl get revisions} lists it
     * @param percent      its share of the Service's traffic, 0 to 100
     */
    public record Target(String tag, String revisionName, int percent) {
    }

    private final String model;
    private final RolloutPolicy policy;

    /**
     * @param model  the model the policy rolls out, named in the rendered manifests
     * @param policy its rollout policy
     */
    public TrafficSplit(String model, RolloutPolicy policy) {
        if (policy.strategy() == RolloutPolicy.Strategy.SHADOW) {
            throw new IllegalArgumentException("model " + model + ": a shadow rollout copies traffic to the"
                    + " challenger, which a Knative traffic split cannot express");
        }
        for (int i = 0; i < policy.steps().size(); i++) {
            if (policy.weightAt(i) % BASIS_POINTS_PER_PERCENT != 0) {
                throw new IllegalArgumentException("model " + model + ": step " + i + "'s challenger weight of "
                        + policy.weightAt(i) + " basis points is not a whole percent, as Knative splits traffic");
            }
        }
        this.model = model;
        this.policy = policy;
    }

    /**
     * The split of a model in a catalog; {@link IllegalArgumentException} when the catalog lists no such model, the
     * model has no rollout policy, or it runs elsewhere than in the predict function.
     */
    public static TrafficSplit of(Catalog catalog, String model) {
        Catalog.Model entry = catalog.models().stream().filter(m -> m.name().equals(model)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the catalog lists no model " + model));
        if (entry.target() != null && !entry.target().equals("function")) {
            throw new IllegalArgumentException("model " + model + " runs on " + entry.target()
                    + ", not in the predict function's Knative Service");
        }
        if (entry.rollout() == null) {
            throw new IllegalArgumentException("model " + model + " has no rollout policy in the catalog");
        }
        return new TrafficSplit(model, RolloutPolicy.fromMap(entry.rollout(), "models[" + model + "]."));
    }

    /** The policy's number of steps. */
    public int steps() {
        return policy.steps().size();
    }

    /** The candidate's share of traffic at {@code step} (0-based), in percent. */
    public int candidatePercent(int step) {
        return policy.weightAt(step) / BASIS_POINTS_PER_PERCENT;
    }

    /** The traffic targets at {@code step} (0-based): the current revision first, then the candidate. */
    public List<Target> traffic(int step, String currentRevision, String candidateRevision) {
        int candidate = candidatePercent(step);
        return List.of(new Target(CURRENT, currentRevision, 100 - candidate),
                new Target(CANDIDATE, candidateRevision, candidate));
    }

    /**
     * {@code service}, a Knative Service manifest, with its {@code spec.traffic} replaced by the split at
     * {@code step}; the template is kept as it is, so that applying the result creates no revision.
     */
    public ObjectNode service(JsonNode service, int step, String currentRevision, String candidateRevision) {
        ObjectNode out = service.deepCopy();
        ArrayNode traffic = ((ObjectNode) out.get("spec")).putArray("traffic");
        for (Target t : traffic(step, currentRevision, candidateRevision)) {
            traffic.addObject().put("tag", t.tag()).put("revisionName", t.revisionName()).put("percent", t.percent());
        }
        return out;
    }

    /** {@link #service} as the YAML of {@code knative/rollout/<model>/step-<step + 1>.yaml}, headed by what it is. */
    public String render(JsonNode service, int step, String currentRevision, String candidateRevision) {
        String header = "# Rendered by dev.quiver.knative.TrafficSplit from config/models.yaml: model " + model
                + "'s rollout (" + policy.strategy().yamlName() + "), step " + (step + 1) + " of " + steps()
                + ",\n# candidate " + candidateRevision + " at " + candidatePercent(step) + "%, current "
                + currentRevision + " at " + (100 - candidatePercent(step)) + "%.\n"
                + "# Apply with kubectl apply -f; re-render (knative/README.md) rather than edit.\n";
        try {
            return header + YAML.writeValueAsString(service(service, step, currentRevision, candidateRevision));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the manifest of step " + step, e);
        }
    }

    /** The file {@link #main} writes step {@code step} (0-based) of {@code model} to, under the repository root. */
    public static Path stepFile(Path repoRoot, String model, int step) {
        return repoRoot.resolve(ROLLOUT_DIR).resolve(model).resolve("step-" + (step + 1) + ".yaml");
    }

    /**
     * Writes every step of a model's rollout into {@code knative/rollout/<model>/}, replacing what was there.
     * Arguments: the repository root, the model, the current revision's name, the candidate revision's name.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: TrafficSplit <repository root> <model> <current revision>"
                    + " <candidate revision>");
        }
        Path root = Path.of(args[0]);
        TrafficSplit split = of(Catalog.read(root.resolve("config/models.yaml")), args[1]);
        JsonNode service = YAML.readTree(root.resolve(PREDICT_SERVICE).toFile());
        Path dir = stepFile(root, args[1], 0).getParent();
        Files.createDirectories(dir);
        // a policy with fewer steps than before leaves no stale step behind
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.filter(p -> p.getFileName().toString().matches("step-\\d+\\.yaml")).toList()) {
                Files.delete(p);
            }
        }
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < split.steps(); i++) {
            Path file = stepFile(root, args[1], i);
            Files.writeString(file, split.render(service, i, args[2], args[3]), StandardCharsets.UTF_8);
            written.add(file);
        }
        written.forEach(p -> System.out.println(root.relativize(p)));
    }

    /** Reads a manifest file as a tree, as {@link #main} reads the predict Service. */
    public static JsonNode read(Path manifest) {
        try {
            return YAML.readTree(manifest.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
    }
}
