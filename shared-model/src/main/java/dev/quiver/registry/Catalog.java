package dev.quiver.registry;

import dev.quiver.json.Json;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.model.ModelKey;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model catalog, {@code config/models.yaml}: the models a deployment ships with, their versions (an
 * artifact directory holding {@code model.onnx} and {@code descriptor.json}, with the artifact's sha256)
 * and their initial aliases.
 *
 * <p>The catalog seeds a model store; it never overrides it. A version the store lacks is imported after its
 * checksum is verified and its files pass {@link ModelFileCheck}, and the catalog's aliases are set only for a model
 * that has none in the store yet, so alias moves made at run time survive restarts.
 *
 * <p>{@link #read} checks the whole file: a key the catalog does not know (a misspelt {@code p99_ms}, say) or a value
 * out of range stops it with BAD_INPUT naming the key's path, {@code models[0].sla.p99_ms}, rather than being ignored.
 */
public record Catalog(List<Model> models) {

    /** Where a model can run: in the predict function, or on a SageMaker GPU endpoint. */
    public static final Set<String> TARGETS = Set.of("function", "sagemaker-gpu");

    /**
     * @param name     the model's name
     * @param target   where it runs: {@code function} (here) or {@code sagemaker-gpu}
     * @param versions the versions shipped with the deployment
     * @param aliases  the initial aliases, alias to version
     * @param featureService the feature service (config/features.yaml) that predictions by entity id read; or null
     * @param rollout  the model's rollout policy as written (see {@code dev.quiver.rollout.RolloutPolicy}); or null
     * @param sla      what every version of the model must serve at; or null when the catalog states nothing
     */
    public record Model(String name, String description, String target, List<Version> versions,
                        Map<String, String> aliases, String featureService, Map<String, Object> rollout, Sla sla) {
        public Model {
            versions = versions == null ? List.of() : List.copyOf(versions);
            aliases = aliases == null ? Map.of() : Map.copyOf(aliases);
        }
    }

    /**
     * A model's service level: what a version must reach before it serves, and what the team is told when a
     * replacement is asked for. Each bound is optional.
     *
     * @param p99Ms             the 99th-percentile latency of one prediction, in milliseconds
     * @param requestsPerSecond the predictions per second one instance must sustain
     */
    public record Sla(Double p99Ms, Double requestsPerSecond) {

        /** The latency bound, or null when none is stated. */
        public Duration p99() {
            return p99Ms == null ? null : Duration.ofNanos(Math.round(p99Ms * 1_000_000));
        }

        void check(String at) {
            Check.that(p99Ms == null || (Double.isFinite(p99Ms) && p99Ms > 0), at + ".p99_ms",
                    "must be a positive number of milliseconds, was " + p99Ms);
            Check.that(requestsPerSecond == null || (Double.isFinite(requestsPerSecond) && requestsPerSecond > 0),
                    at + ".requests_per_second", "must be a positive number, was " + requestsPerSecond);
        }
    }

    /**
     * @param version  the version name
     * @param artifact the directory, relative to the catalog file, holding model.onnx and descriptor.json, and the
     *                 external data files the model names at their locations, as regular files inside it
     * @param sha256   the expected sha256 of model.onnx
     */
    public record Version(String version, String artifact, String sha256) {
    }

    public Catalog {
        models = models == null ? List.of() : List.copyOf(models);
    }

    /** The rollout policy of each model that declares one, as written, by model name. */
    public Map<String, Map<String, Object>> rolloutPolicies() {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        models.stream().filter(m -> m.rollout() != null).forEach(m -> out.put(m.name(), m.rollout()));
        return out;
    }

    /** The feature service of each model that names one, by model name. */
    public Map<String, String> featureServices() {
        Map<String, String> out = new TreeMap<>();
        models.stream().filter(m -> m.featureService() != null).forEach(m -> out.put(m.name(), m.featureService()));
        return out;
    }

    /** The service level of each model that states one, by model name. */
    public Map<String, Sla> slas() {
        Map<String, Sla> out = new TreeMap<>();
        models.stream().filter(m -> m.sla() != null).forEach(m -> out.put(m.name(), m.sla()));
        return out;
    }

    /**
     * Reads and checks a catalog file; a missing file is an empty catalog. Fails with BAD_INPUT naming the path of
     * the key (and the file) for a key the catalog does not know, a value of the wrong type, or a value out of range.
     */
    public static Catalog read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new Catalog(List.of());
        }
        Catalog catalog;
        try {
            catalog = Json.YAML.readValue(file.toFile(), Catalog.class);
        } catch (JsonMappingException e) {
            throw QuiverException.badInput(Json.fieldPath(e, "catalog"),
                    "in the model catalog " + file + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model catalog " + file, e);
        }
        catalog.check(file);
        return catalog;
    }

    private void check(Path file) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            Model m = models.get(i);
            String at = "models[" + i + "]";
            try {
                Check.that(m.name() != null && !m.name().isBlank(), at + ".name", "is required");
                Check.that(names.add(m.name()), at + ".name", "model '" + m.name() + "' is listed twice");
                Check.that(m.target() == null || TARGETS.contains(m.target()), at + ".target",
                        "must be one of " + new java.util.TreeSet<>(TARGETS) + ", was '" + m.target() + "'");
                if (m.sla() != null) {
                    m.sla().check(at + ".sla");
                }
            } catch (QuiverException e) {
                throw QuiverException.badInput(e.field(), "in the model catalog " + file + ": " + e.reason());
            }
        }
    }


    /**
     * Imports into {@code store} the catalog versions it lacks and the aliases of models that have none, checking
     * models against {@link ModelLimits#DEFAULTS}.
     *
     * @param baseDir the directory that artifact paths are relative to (the catalog file's directory)
     * @return the versions imported
     */
    public List<ModelKey> seed(Path baseDir, ModelStore store) {
        return seed(baseDir, store, ModelLimits.DEFAULTS);
    }

    /**
     * Imports into {@code store} the catalog versions it lacks and the aliases of models that have none. A version
     * is imported with the external data files its model names, and only those; one whose checksum disagrees or whose
     * files fail {@link ModelFileCheck} stops the import with that error, naming the artifact.
     *
     * @param baseDir the directory that artifact paths are relative to (the catalog file's directory)
     * @return the versions imported
     */
    public List<ModelKey> seed(Path baseDir, ModelStore store, ModelLimits limits) {
        List<ModelKey> imported = new java.util.ArrayList<>();
        for (Model m : models) {
            for (Version v : m.versions()) {
                if (store.descriptor(m.name(), v.version()).isPresent()) {
                    continue;
                }
                Path dir = baseDir.resolve(v.artifact());
                try {
                    byte[] onnx = Files.readAllBytes(dir.resolve(DirectoryModelStore.ARTIFACT));
                    String sha = ModelRegistry.sha256(onnx);
                    if (!sha.equalsIgnoreCase(String.valueOf(v.sha256()))) {
                        throw QuiverException.rejected("sha256", "catalog artifact " + dir + " has sha256 " + sha
                                + " but the catalog says " + v.sha256());
                    }
                    ModelDescriptor d = Json.MAPPER.readValue(dir.resolve(DirectoryModelStore.DESCRIPTOR).toFile(),
                            ModelDescriptor.class);
                    ModelDescriptor identified = d.withIdentity(m.name(), v.version(), sha, d.createdAt());
                    identified.validate();
                    Path model = dir.resolve(DirectoryModelStore.ARTIFACT);
                    ModelFileCheck.Result checked;
                    try {
                        checked = ModelFileCheck.check(model, limits);
                    } catch (QuiverException e) {
                        throw new QuiverException(e.kind(), e.field(), "catalog artifact " + dir + ": " + e.reason(), e);
                    }
                    Map<String, Path> data = new TreeMap<>();
                    checked.externalData().forEach(location -> data.put(location, dir.resolve(location)));
                    Path reference = dir.resolve(DirectoryModelStore.REFERENCE_PROFILE);
                    try {
                        store.write(identified, new ModelArtifact(model, data),
                                Files.isRegularFile(reference) ? Files.readAllBytes(reference) : null);
                        imported.add(new ModelKey(m.name(), v.version()));
                    } catch (QuiverException e) {
                        // another instance seeding the same store wrote it first: the same catalog, the same bytes
                        if (e.kind() != QuiverException.Kind.CONFLICT) {
                            throw e;
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot import catalog artifact " + dir, e);
                }
            }
            ModelStore.Aliases stored = store.readAliases(m.name());
            if (!m.aliases().isEmpty() && stored.aliases().isEmpty()) {
                // conditional: of instances seeding one store at once, one writes and the others keep what it wrote
                store.replaceAliases(m.name(), stored.tag(), new TreeMap<>(m.aliases()));
            }
        }
        return imported;
    }
}
