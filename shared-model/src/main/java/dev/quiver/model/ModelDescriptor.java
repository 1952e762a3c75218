package dev.quiver.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.tensor.Datatype;
import dev.quiver.tensor.TensorSpec;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything Quiver knows about one version of a model, stored beside its ONNX file as {@code descriptor.json}.
 *
 * <p>The descriptor makes the artifact self-describing: {@link #inputs} declares the raw named features
 * clients send and how they fill the graph input {@link #input} (so a JSON row becomes a tensor row without
 * code), {@link #outputs} names the graph outputs holding the label and the class probabilities, and
 * {@link #labels} names the classes by index. Metrics and training facts are recorded for people and for
 * later drift checks; {@link #sha256} is the artifact's checksum, verified before a session is created.
 *
 * <p>A model with no named {@link #inputs} can still be served through the Open Inference Protocol, which
 * takes tensors as they are.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelDescriptor(
        String name,
        String version,
        String description,
        List<InputField> inputs,
        TensorInput input,
        Outputs outputs,
        List<String> labels,
        Map<String, Double> metrics,
        Map<String, Object> training,
        String sha256,
        Instant createdAt) {

    /**
     * The graph input that named features fill: a tensor of shape [rows, width].
     *
     * @param name     the graph input's name
     * @param datatype its element type; the JSON API fills FP32 and FP64 inputs
     */
    public record TensorInput(String name, Datatype datatype) {
    }

    /**
     * The graph outputs that carry the answer of a classifier.
     *
     * @param label         the output holding the predicted class index per row, or null to take the arg-max of probabilities
     * @param probabilities the output holding the class probabilities, shape [rows, classes]
     */
    public record Outputs(String label, String probabilities) {
    }

    public ModelDescriptor {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        labels = labels == null ? List.of() : List.copyOf(labels);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        training = training == null ? Map.of() : Map.copyOf(training);
    }

    /** The same descriptor for another name, version, checksum and creation time. */
    public ModelDescriptor withIdentity(String name, String version, String sha256, Instant createdAt) {
        return new ModelDescriptor(name, version, description, inputs, input, outputs, labels, metrics, training,
                sha256, createdAt);
    }

    /** The number of slots the named inputs fill, that is the width of {@link #input}. */
    public int inputWidth() {
        int w = 0;
        for (InputField f : inputs) {
            w += f.width();
        }
        return w;
    }

    /** The tensor that named features fill, as a spec: [-1, width]. Null when the model declares no named inputs. */
    public TensorSpec inputSpec() {
        return input == null ? null : new TensorSpec(input.name(), input.datatype(), new long[] {-1, inputWidth()});
    }

    /**
     * Checks what a descriptor must say before it can be registered: a valid name and version, well-formed
     * fields, and a graph input and outputs when named fields are declared. Fails with BAD_INPUT naming the
     * field of the descriptor at fault.
     */
    public void validate() {
        Check.name(name, "descriptor.name");
        Check.name(version, "descriptor.version");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            InputField f = inputs.get(i);
            String at = "descriptor.inputs[" + i + "]";
            Check.required(f.name(), at + ".name");
            Check.required(f.type(), at + ".type");
            Check.that(seen.add(f.name()), at + ".name", "duplicate feature '" + f.name() + "'");
            if (f.type() == InputField.Type.CATEGORY) {
                Check.that(!f.categories().isEmpty(), at + ".categories", "a category field needs its categories");
                Check.that(new HashSet<>(f.categories()).size() == f.categories().size(), at + ".categories",
                        "categories must be distinct");
            } else {
                Check.that(f.categories().isEmpty(), at + ".categories", "a number field has no categories");
            }
            if (f.defaultValue() != null) {
                Check.that(f.type() == InputField.Type.NUMBER
                                ? f.defaultValue() instanceof Number n && Double.isFinite(n.doubleValue())
                                : f.categories().contains(f.defaultValue()),
                        at + ".default", f.type() == InputField.Type.NUMBER ? "must be a finite number"
                                : "must be one of the field's categories");
            }
        }
        if (!inputs.isEmpty()) {
            Check.required(input, "descriptor.input");
            Check.required(input.name(), "descriptor.input.name");
            Check.that(input.datatype() == Datatype.FP32 || input.datatype() == Datatype.FP64,
                    "descriptor.input.datatype", "named features fill FP32 or FP64 inputs only");
            Check.required(outputs, "descriptor.outputs");
            Check.required(outputs.probabilities(), "descriptor.outputs.probabilities");
            Check.that(!labels.isEmpty(), "descriptor.labels", "a classifier needs its class labels");
            Check.that(new java.util.HashSet<>(labels).size() == labels.size(), "descriptor.labels",
                    "class labels must be distinct: each names one of the model's probabilities");
        }
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
            throw QuiverException.badInput("descriptor.sha256", "must be 64 lowercase hex digits");
        }
    }
}
