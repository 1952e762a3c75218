package dev.quiver.agent.requirement;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The model artifact formats a data scientist may name in a requirement or a delivery. Only {@link #ONNX} is
 * served in the predict function; the others exist so that a request can say what else would do, and so that a
 * delivery in another format is refused by name rather than as unreadable text.
 */
public enum ModelFormat {
    /** An ONNX graph ({@code model.onnx}), served in-process by ONNX Runtime. */
    ONNX("onnx", "onnx"),
    /** A TensorRT engine or plan, for NVIDIA GPU targets. */
    TENSORRT("tensorrt", "tensorrt", "trt", "tensorrtengine", "tensorrtplan"),
    /** A TorchScript module (traced or scripted PyTorch). */
    TORCHSCRIPT("torchscript", "torchscript", "pytorchtorchscript"),
    /** A TensorFlow SavedModel directory. */
    TENSORFLOW_SAVEDMODEL("tensorflow_savedmodel", "tensorflowsavedmodel", "savedmodel", "tfsavedmodel"),
    /** A TensorFlow Lite flat buffer. */
    TFLITE("tflite", "tflite", "tensorflowlite"),
    /** An OpenVINO intermediate representation. */
    OPENVINO("openvino", "openvino", "openvinoir"),
    /** An Apple Core ML model. */
    COREML("coreml", "coreml"),
    /** A PMML document. */
    PMML("pmml", "pmml");

    private static final Pattern SEPARATORS = Pattern.compile("[\\s._-]+");

    private final String wireName;
    private final Set<String> aliases;

    ModelFormat(String wireName, String... aliases) {
        this.wireName = wireName;
        this.aliases = Set.of(aliases);
    }

    /** The name written in JSON: lower case, words joined by '_'. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The names {@link #byName} reads, for error messages: the wire names. */
    public static List<String> knownNames() {
        return Arrays.stream(values()).map(ModelFormat::wireName).toList();
    }

    /**
     * The format a person's name for it denotes, ignoring case, spaces, '-', '_' and '.' ("TensorRT",
     * "tensor-rt", "TF SavedModel", "tensorflow_savedmodel"), or null when the name is none of them.
     */
    public static ModelFormat byName(String name) {
        String key = SEPARATORS.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("");
        for (ModelFormat f : values()) {
            if (f.aliases.contains(key)) {
                return f;
            }
        }
        return null;
    }
}
