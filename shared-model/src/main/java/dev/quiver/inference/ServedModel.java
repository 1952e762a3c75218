package dev.quiver.inference;

import dev.quiver.model.ModelDescriptor;
import dev.quiver.model.ModelKey;
import dev.quiver.tensor.TensorSpec;

/**
 * A loaded model version together with what is compiled once for it: its key, its feature encoder and its
 * input signature. Immutable and shared by all requests.
 */
public final class ServedModel {

    private final ModelKey key;
    private final LoadedModel model;
    private final FeatureEncoder encoder;
    private final TensorSpec namedInput;

    public ServedModel(LoadedModel model) {
        ModelDescriptor d = model.descriptor();
        this.key = new ModelKey(d.name(), d.version());
        this.model = model;
        this.encoder = new FeatureEncoder(d.inputs());
        this.namedInput = d.inputSpec();
    }

    public ModelKey key() {
        return key;
    }

    public ModelDescriptor descriptor() {
        return model.descriptor();
    }

    public LoadedModel model() {
        return model;
    }

    public FeatureEncoder encoder() {
        return encoder;
    }

    /** The graph input that named features fill, or null when the model takes only tensors. */
    public TensorSpec namedInput() {
        return namedInput;
    }
}
