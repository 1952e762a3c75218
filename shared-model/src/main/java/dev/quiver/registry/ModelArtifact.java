package dev.quiver.registry;

import dev.quiver.error.Check;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's files as they travel to the registry or a store: the ONNX file and the external data files its tensors
 * name, each keyed by the location the model names it by (relative to the model file's directory, where it is
 * stored). The files may lie anywhere (uploads in a temporary directory, a catalog's artifact directory); they are
 * copied, never moved.
 *
 * @param model        the ONNX file
 * @param externalData external data files by location, each location a plain relative path
 *                     ({@link ModelFileCheck#location}); empty for a model that keeps all its data inline
 */
public record ModelArtifact(Path model, Map<String, Path> externalData) {

    /** Fails with BAD_INPUT on {@code external_data} when a location is not a plain relative path. */
    public ModelArtifact {
        Check.required(model, "model");
        TreeMap<String, Path> sorted = new TreeMap<>();
        if (externalData != null) {
            externalData.forEach((location, file) -> sorted.put(ModelFileCheck.location(location, "external_data"),
                    Check.required(file, "external_data")));
        }
        externalData = Collections.unmodifiableMap(sorted);
    }

    /** A model that keeps all its data inline. */
    public static ModelArtifact of(Path model) {
        return new ModelArtifact(model, Map.of());
    }
}
