package dev.quiver.registry;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * ONNX models built for the file check's tests: well-formed ones (with the ONNX protobuf classes) that keep a
 * tensor's data inline or outside in each place the schema allows, and malformed ones (written field by field)
 * that a parser could read otherwise than the check does.
 */
final class CraftedModels {

    static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();

    private CraftedModels() {
    }

    /** A FLOAT tensor named {@code name} with inline values. */
    static OnnxMl.TensorProto inline(String name, float... values) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                .addDims(values.length);
        for (float v : values) {
            t.addFloatData(v);
        }
        return t.build();
    }

    /** A FLOAT tensor of {@code dims} with no data at all: a size declared in a few bytes. */
    static OnnxMl.TensorProto declared(String name, long... dims) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(FLOAT);
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    /** A FLOAT tensor of {@code dims} whose data is at {@code location}; offset and length only when not null. */
    static OnnxMl.TensorProto external(String name, String location, Long offset, Long length, long... dims) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location));
        for (long d : dims) {
            t.addDims(d);
        }
        if (offset != null) {
            t.addExternalData(entry("offset", Long.toString(offset)));
        }
        if (length != null) {
            t.addExternalData(entry("length", Long.toString(length)));
        }
        return t.build();
    }

    /** The same with 2 floats at {@code location}, from its start. */
    static OnnxMl.TensorProto external(String name, String location) {
        return external(name, location, null, null, 2);
    }

    static OnnxMl.StringStringEntryProto entry(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /** A model whose main graph adds input x [N, 2] and the initializer {@code w}, giving y. */
    static byte[] withInitializer(OnnxMl.TensorProto w) {
        return model(graph("main").addInitializer(w).addNode(node("add", "Add", List.of("x", w.getName()), "y")));
    }

    /** A model whose main graph has a Constant node {@code c1} whose {@code value} attribute is {@code t}. */
    static byte[] withConstant(OnnxMl.TensorProto t) {
        return model(graph("main").addNode(node("c1", "Constant", List.of(), "c").toBuilder()
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("value")
                        .setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(t))));
    }

    /** A model with an If node {@code if1} whose then branch (graph {@code then_body}) holds the initializer {@code w}. */
    static byte[] withSubgraphInitializer(OnnxMl.TensorProto w) {
        OnnxMl.GraphProto then = graph("then_body").addInitializer(w)
                .addNode(node("id", "Identity", List.of(w.getName()), "t_out")).build();
        OnnxMl.GraphProto otherwise = graph("else_body").addInitializer(inline("E", 0f, 0f))
                .addNode(node("id2", "Identity", List.of("E"), "e_out")).build();
        return model(graph("main").addNode(node("if1", "If", List.of("cond"), "y").toBuilder()
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("then_branch")
                        .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(then))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("else_branch")
                        .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(otherwise))));
    }

    /** A model whose main graph has a sparse initializer with {@code values}, indices inline, of dense {@code dims}. */
    static byte[] withSparseInitializer(OnnxMl.TensorProto values, long... dims) {
        OnnxMl.SparseTensorProto.Builder s = OnnxMl.SparseTensorProto.newBuilder().setValues(values)
                .setIndices(OnnxMl.TensorProto.newBuilder().setName("idx")
                        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
                        .addDims(values.getDims(0)).addInt64Data(0).addInt64Data(1));
        for (long d : dims) {
            s.addDims(d);
        }
        return model(graph("main").addSparseInitializer(s));
    }

    /** A model with a local function {@code f} whose Constant node {@code fc} holds {@code t}. */
    static byte[] withFunctionConstant(OnnxMl.TensorProto t) {
        OnnxMl.FunctionProto f = OnnxMl.FunctionProto.newBuilder().setName("f").setDomain("local")
                .addOutput("c").addNode(node("fc", "Constant", List.of(), "c").toBuilder()
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("value")
                                .setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(t)))
                .build();
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(opset())
                .setGraph(graph("main")).addFunctions(f).build().toByteArray();
    }

    /** A model whose training info's initialization graph holds the initializer {@code w}. */
    static byte[] withTrainingInitializer(OnnxMl.TensorProto w) {
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(opset()).setGraph(graph("main"))
                .addTrainingInfo(OnnxMl.TrainingInfoProto.newBuilder()
                        .setInitialization(graph("init").addInitializer(w))
                        .setAlgorithm(graph("algorithm")))
                .build().toByteArray();
    }

    static OnnxMl.GraphProto.Builder graph(String name) {
        return OnnxMl.GraphProto.newBuilder().setName(name);
    }

    static OnnxMl.NodeProto node(String name, String op, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(inputs).addOutput(output).build();
    }

    static byte[] model(OnnxMl.GraphProto.Builder graph) {
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("quiver-tests")
                .addOpsetImport(opset()).setGraph(graph).build().toByteArray();
    }

    private static OnnxMl.OperatorSetIdProto opset() {
        return OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(15).build();
    }

    /** Little-endian FLOAT bytes, as ONNX keeps raw and external data. */
    static byte[] floats(float... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    // Malformed files, written field by field: ModelProto.graph = 7, GraphProto.node = 1, .initializer = 5,
    // NodeProto.attribute = 5, AttributeProto.name = 1, .t = 5, TensorProto.dims = 1, .data_type = 2, .name = 8,
    // .external_data = 13, .data_location = 14.

    /** A Constant whose attribute carries {@code value}'s field {@code t} twice: parsers merge the two tensors. */
    static byte[] attributeWithTwoTensors(OnnxMl.TensorProto first, OnnxMl.TensorProto second) {
        byte[] attribute = message(out -> {
            out.writeString(1, "value");
            out.writeByteArray(5, first.toByteArray());
            out.writeByteArray(5, second.toByteArray());
        });
        byte[] node = message(out -> {
            out.writeString(3, "c1");
            out.writeString(4, "Constant");
            out.writeByteArray(5, attribute);
        });
        return message(out -> out.writeByteArray(7, message(g -> g.writeByteArray(1, node))));
    }

    /** A graph whose only initializer is {@code tensor}, given as raw bytes. */
    static byte[] withRawInitializer(byte[] tensor) {
        return message(out -> out.writeByteArray(7, message(g -> g.writeByteArray(5, tensor))));
    }

    /** Graphs nested in graphs {@code levels} deep through If nodes' then_branch attributes. */
    static byte[] nestedGraphs(int levels) {
        OnnxMl.GraphProto g = graph("leaf").addInitializer(inline("W", 1f)).build();
        for (int i = 0; i < levels; i++) {
            g = graph("g" + i).addNode(node("if" + i, "If", List.of("c"), "y").toBuilder()
                    .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("then_branch").setG(g))).build();
        }
        return OnnxMl.ModelProto.newBuilder().setGraph(g).build().toByteArray();
    }

    interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] message(Fields fields) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            fields.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ByteString bytes(byte[] b) {
        return ByteString.copyFrom(b);
    }
}
