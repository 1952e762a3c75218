package dev.quiver.predict;

import dev.quiver.testing.files.Repository;
import ai.onnx.proto.OnnxMl;
import dev.quiver.model.InputField;
import dev.quiver.json.Json;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.tensor.Datatype;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Small ONNX models built in Java for tests, shaped like common exports: a logistic-regression classifier
 * with one FP32 input [N, F] and outputs {@code label} (INT64 [N]) and {@code probabilities} (FP32 [N, 2]),
 * as scikit-learn's exporters produce with zipmap off.
 */
public final class TestModels {

    private TestModels() {
    }

    /**
     * p(yes) = sigmoid(sum_i w_i x_i + b), computed as softmax over logits [0, w.x + b].
     *
     * @param weights one weight per feature
     */
    public static byte[] logistic(float[] weights, float bias) {
        int f = weights.length;
        return logistic(floats("W", weightMatrix(weights), f, 2), f, bias);
    }

    /** A model's ONNX bytes and the bytes of the one external data file it names. */
    public record WithData(byte[] onnx, String location, byte[] data) {
    }

    /**
     * {@link #logistic} with its weight matrix W kept outside the model file, in the file {@code location} (little-endian
     * floats after {@code offset} bytes of padding), as ONNX's external data format writes it.
     */
    public static WithData logisticWithExternalWeights(float[] weights, float bias, String location, int offset) {
        int f = weights.length;
        float[] w = weightMatrix(weights);
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(offset + w.length * 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).position(offset);
        for (float x : w) {
            data.putFloat(x);
        }
        OnnxMl.TensorProto external = OnnxMl.TensorProto.newBuilder().setName("W")
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addDims(f).addDims(2)
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location))
                .addExternalData(entry("offset", Integer.toString(offset)))
                .addExternalData(entry("length", Integer.toString(w.length * 4))).build();
        return new WithData(logistic(external, f, bias), location, data.array());
    }

    private static OnnxMl.StringStringEntryProto entry(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /** Weights [f, 2] with column 0 zero, so that logits are [0, w.x]. */
    private static float[] weightMatrix(float[] weights) {
        float[] w = new float[weights.length * 2];
        for (int i = 0; i < weights.length; i++) {
            w[i * 2 + 1] = weights[i];
        }
        return w;
    }

    private static byte[] logistic(OnnxMl.TensorProto weightMatrix, int f, float bias) {
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
                .setName("logistic")
                .addInitializer(weightMatrix)
                .addInitializer(floats("B", new float[] {0, bias}, 2))
                .addNode(node("MatMul", List.of("float_input", "W"), "xw"))
                .addNode(node("Add", List.of("xw", "B"), "logits"))
                .addNode(node("Softmax", List.of("logits"), "probabilities").toBuilder()
                        .addAttribute(intAttr("axis", 1)).build())
                .addNode(node("ArgMax", List.of("probabilities"), "label").toBuilder()
                        .addAttribute(intAttr("axis", 1)).addAttribute(intAttr("keepdims", 0)).build())
                .addInput(valueInfo("float_input", OnnxMl.TensorProto.DataType.FLOAT, f))
                .addOutput(valueInfo("label", OnnxMl.TensorProto.DataType.INT64, -1))
                .addOutput(valueInfo("probabilities", OnnxMl.TensorProto.DataType.FLOAT, 2))
                .build();
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("quiver-tests")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(15))
                .setGraph(graph).build().toByteArray();
    }

    /** The descriptor of {@link #logistic} with numeric features named {@code x0..x(n-1)}. */
    public static ModelDescriptor logisticDescriptor(int features) {
        List<InputField> fields = new ArrayList<>();
        for (int i = 0; i < features; i++) {
            fields.add(InputField.number("x" + i));
        }
        return new ModelDescriptor(null, null, "test logistic regression", fields,
                new ModelDescriptor.TensorInput("float_input", Datatype.FP32),
                new ModelDescriptor.Outputs("label", "probabilities"), List.of("no", "yes"), null, null, null, null);
    }

    public static String json(ModelDescriptor d) throws Exception {
        return Json.MAPPER.writeValueAsString(d);
    }

    /** The churn demo model's ONNX bytes, as committed. */
    public static byte[] churnOnnx() throws Exception {
        return Files.readAllBytes(Repository.root().resolve("config/models/churn/1/model.onnx"));
    }

    /** The churn demo model's descriptor, as committed, less its identity (the registry assigns it). */
    public static ModelDescriptor churnDescriptor() throws Exception {
        ModelDescriptor d = Json.MAPPER.readValue(
                Repository.root().resolve("config/models/churn/1/descriptor.json").toFile(), ModelDescriptor.class);
        return d.withIdentity(null, null, null, null);
    }

    private static OnnxMl.NodeProto node(String op, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(inputs).addOutput(output).build();
    }

    private static OnnxMl.AttributeProto intAttr(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static OnnxMl.TensorProto floats(String name, float[] v, long... dims) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        for (float x : v) {
            t.addFloatData(x);
        }
        return t.build();
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, OnnxMl.TensorProto.DataType type, int width) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        if (width >= 0) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber()).setShape(shape))).build();
    }
}
