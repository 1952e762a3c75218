package dev.quiver.registry;

import dev.quiver.model.ModelDescriptor;
import dev.quiver.error.QuiverException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable storage of model versions and aliases: the registry's port to a directory, a bucket or a database.
 *
 * <p>Contract:
 * <ul>
 *   <li>A version is written whole or not at all: readers never see a version without its descriptor or
 *       with a partly written artifact or external data file. Versions are immutable once written; writing an
 *       existing version fails.</li>
 *   <li>A version's external data files (see {@link ModelArtifact}) are kept at their locations relative to its
 *       ONNX file, so that the runtime finds them there; nothing of a version is written outside its own place.</li>
 *   <li>Aliases of one model are replaced as a whole map, atomically.</li>
 *   <li>Lists are sorted (model names and aliases by name, versions by {@link Versions#ORDER}); an unknown
 *       model yields empty lists and maps, never an error.</li>
 *   <li>Implementations are safe to call from several threads; writers in several processes must not race
 *       on the same version (the registry serialises its own writes).</li>
 * </ul>
 */
public interface ModelStore {

    /** The names of all models with at least one version. */
    List<String> modelNames();

    /** The versions of {@code model}, oldest first. */
    List<String> versions(String model);

    /** The descriptor of a version, or empty when the version does not exist. */
    Optional<ModelDescriptor> descriptor(String model, String version);

    /**
     * A local file holding the version's ONNX artifact, with its external data files beside it at their locations,
     * downloaded to a local cache first where the store is remote. Empty when the version does not exist.
     */
    Optional<Path> artifact(String model, String version);

    /** Writes a new version atomically; fails with CONFLICT when it already exists. */
    default void write(ModelDescriptor descriptor, byte[] artifact) {
        write(descriptor, artifact, null);
    }

    /**
     * Writes a new version atomically with its reference profile (the drift sketches of its training data, as
     * JSON; null: none); fails with CONFLICT when it already exists.
     */
    void write(ModelDescriptor descriptor, byte[] artifact, byte[] referenceProfile);

    /**
     * Writes a new version atomically from files: the ONNX file and its external data files, each kept at its
     * location, with the reference profile (null: none); fails with CONFLICT when it already exists. This default
     * keeps only the ONNX file, and refuses (REJECTED on {@code external_data}) a model with external data files.
     */
    default void write(ModelDescriptor descriptor, ModelArtifact artifact, byte[] referenceProfile) {
        if (!artifact.externalData().isEmpty()) {
            throw QuiverException.rejected("external_data", "this model store keeps the ONNX file only, not "
                    + "external data files");
        }
        try {
            write(descriptor, Files.readAllBytes(artifact.model()), referenceProfile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + artifact.model(), e);
        }
    }

    /** A local file holding the version's reference profile; empty when it has none or does not exist. */
    Optional<Path> referenceProfile(String model, String version);

    /** The aliases of {@code model}: alias name to version. */
    default Map<String, String> aliases(String model) {
        return readAliases(model).aliases();
    }

    /** The aliases of {@code model} with the tag that a conditional {@link #replaceAliases} names. */
    Aliases readAliases(String model);

    /**
     * Replaces the aliases of {@code model} atomically, and only if they are still as read with {@code expectedTag}
     * (null: none are stored). Of writers in several instances that read the same aliases, exactly one wins.
     *
     * @return false, changing nothing, when another writer got there first
     */
    boolean replaceAliases(String model, String expectedTag, Map<String, String> aliases);

    /** Replaces the aliases of {@code model} whatever they are now: the last writer wins. For set-up and tests. */
    default void writeAliases(String model, Map<String, String> aliases) {
        while (!replaceAliases(model, readAliases(model).tag(), aliases)) {
            Thread.onSpinWait();
        }
    }

    /**
     * A model's aliases as read.
     *
     * @param aliases alias name to version, sorted
     * @param tag     what changes whenever they are written (a digest of the file, an S3 ETag); null when none are stored
     */
    record Aliases(Map<String, String> aliases, String tag) {

        public static final Aliases NONE = new Aliases(Map.of(), null);

        public Aliases {
            aliases = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(aliases));
        }
    }
}
