package dev.quiver.inference;

import dev.quiver.model.ModelDescriptor;

import java.nio.file.Path;

/**
 * The port to a runtime that executes model graphs (ONNX Runtime, loaded by DJL's engine, in the predict function).
 *
 * <p>{@link #load} does all the work that must not happen on the request path: it creates the session,
 * checks the graph against the descriptor and runs one warm-up inference, so that the first caller pays
 * nothing extra. It fails with {@code REJECTED} naming what is wrong (not a model the runtime can read,
 * a declared input or output the graph lacks, a width or datatype that disagrees), and then leaves nothing
 * open.
 */
public interface InferenceEngine {

    /** Loads, checks and warms up one model version. */
    LoadedModel load(ModelDescriptor descriptor, Path artifact);
}
