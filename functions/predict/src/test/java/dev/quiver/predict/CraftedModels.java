package dev.quiver.predict;

import ai.onnx.proto.OnnxMl;
import dev.quiver.model.ModelDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Crafted ONNX models that try to make the runtime read a file outside the model: each adds its input {@code x}
 * (FP32 [N, 2]) to a tensor of two floats whose data is "external", at a location the caller chooses, so that an
 * inference on zeros would answer that file's first 8 bytes. Each keeps the tensor in another place the ONNX schema
 * allows: a graph initializer, a Constant node's attribute, an initializer of an If node's branch, a sparse
 * initializer's values.
 */
public final class CraftedModels {

    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();

    private CraftedModels() {
    }

    /** y = x + W, with W (2 floats) at {@code location}. */
    public static byte[] initializerAt(String location) {
        return model(graph("leak").addInitializer(external("W", location)).addNode(add("W")));
    }

    /** y = x + c, with c the value of Constant node {@code c1}, whose 2 floats are at {@code location}. */
    public static byte[] constantAt(String location) {
        OnnxMl.NodeProto constant = node("c1", "Constant", List.of(), "c").toBuilder()
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("value")
                        .setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(external("c", location))).build();
        return model(graph("leak").addNode(constant).addNode(add("c")));
    }

    /** y = x + (if cond then W else 0), with W an initializer of the then branch, its 2 floats at {@code location}. */
    public static byte[] subgraphInitializerAt(String location) {
        OnnxMl.GraphProto then = graph("then_body").addInitializer(external("W", location))
                .addNode(node("then_id", "Identity", List.of("W"), "t_out"))
                .addOutput(tensor("t_out", 2)).build();
        OnnxMl.GraphProto otherwise = graph("else_body").addInitializer(inline("E", 0f, 0f))
                .addNode(node("else_id", "Identity", List.of("E"), "e_out"))
                .addOutput(tensor("e_out", 2)).build();
        OnnxMl.NodeProto branch = node("if1", "If", List.of("cond"), "w").toBuilder()
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("then_branch")
                        .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(then))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("else_branch")
                        .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(otherwise)).build();
        OnnxMl.ValueInfoProto cond = OnnxMl.ValueInfoProto.newBuilder().setName("cond")
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.BOOL.getNumber())
                        .setShape(OnnxMl.TensorShapeProto.newBuilder()))).build();
        return model(graph("leak").addNode(branch).addNode(add("w")).addInput(cond));
    }

    /** y = x + S, with S a sparse initializer whose values (2 floats) are at {@code location}. */
    public static byte[] sparseValuesAt(String location) {
        OnnxMl.SparseTensorProto s = OnnxMl.SparseTensorProto.newBuilder().addDims(2)
                .setValues(external("S", location))
                .setIndices(OnnxMl.TensorProto.newBuilder().setName("S_indices")
                        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(2)
                        .addInt64Data(0).addInt64Data(1)).build();
        return model(graph("leak").addSparseInitializer(s).addNode(add("S")));
    }

    /** y = x + W, with W declared [100000, 100000, 10] (400 GB) and no data: a tiny file. */
    public static byte[] hugeDeclaredTensor() {
        OnnxMl.TensorProto w = OnnxMl.TensorProto.newBuilder().setName("W").setDataType(FLOAT)
                .addDims(100_000).addDims(100_000).addDims(10).build();
        return model(graph("huge").addInitializer(w).addNode(add("W")));
    }

    /** The descriptor of these models: tensors only, served through the Open Inference Protocol. */
    public static ModelDescriptor descriptor() {
        return new ModelDescriptor(null, null, "crafted", List.of(), null, null, List.of(), null, null, null, null);
    }

    /** Little-endian floats, as ONNX keeps external data. */
    public static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static OnnxMl.TensorProto external(String name, String location) {
        return OnnxMl.TensorProto.newBuilder().setName(name).setDataType(FLOAT).addDims(2)
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("offset").setValue("0"))
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("length").setValue("8"))
                .build();
    }

    private static OnnxMl.TensorProto inline(String name, float... values) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                .addDims(values.length);
        for (float v : values) {
            t.addFloatData(v);
        }
        return t.build();
    }

    private static OnnxMl.NodeProto add(String tensor) {
        return node("add", "Add", List.of("x", tensor), "y");
    }

    private static OnnxMl.NodeProto node(String name, String op, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(inputs).addOutput(output).build();
    }

    private static OnnxMl.GraphProto.Builder graph(String name) {
        return OnnxMl.GraphProto.newBuilder().setName(name);
    }

    /** A FLOAT tensor value of shape [width]. */
    private static OnnxMl.ValueInfoProto tensor(String name, int width) {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(FLOAT).setShape(OnnxMl.TensorShapeProto.newBuilder()
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width))))).build();
    }

    private static byte[] model(OnnxMl.GraphProto.Builder graph) {
        OnnxMl.ValueInfoProto rows = OnnxMl.ValueInfoProto.newBuilder().setName("x")
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(FLOAT).setShape(OnnxMl.TensorShapeProto.newBuilder()
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(2))))).build();
        OnnxMl.ValueInfoProto y = rows.toBuilder().setName("y").build();
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("quiver-tests")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(15))
                .setGraph(graph.addInput(rows).addOutput(y)).build().toByteArray();
    }
}
