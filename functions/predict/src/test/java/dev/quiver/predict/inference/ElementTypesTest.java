package dev.quiver.predict.inference;

import ai.onnx.proto.OnnxMl;
import dev.quiver.inference.LoadedModel;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.tensor.Datatype;
import dev.quiver.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every element type the engine serves goes into ONNX Runtime and comes back unchanged: an Identity graph of each
 * type, fed two rows of three values that include each type's extremes.
 */
class ElementTypesTest {

    private static DjlOnnxEngine engine;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        engine = new DjlOnnxEngine(1, 1);
    }

    @AfterAll
    static void stop() {
        engine = null;
    }

    static Stream<Tensor> values() {
        long[] shape = {2, 3};
        return Stream.of(
                new Tensor("x", Datatype.FP32, shape, new float[] {0f, -1.5f, Float.MAX_VALUE, Float.MIN_VALUE,
                        Float.NEGATIVE_INFINITY, -0f}),
                new Tensor("x", Datatype.FP64, shape, new double[] {0, -1.5, Double.MAX_VALUE, Double.MIN_VALUE,
                        Double.POSITIVE_INFINITY, 1e-300}),
                new Tensor("x", Datatype.INT8, shape, new byte[] {0, 1, -1, Byte.MIN_VALUE, Byte.MAX_VALUE, 7}),
                new Tensor("x", Datatype.UINT8, shape, new byte[] {0, 1, (byte) 255, (byte) 128, 127, 7}),
                new Tensor("x", Datatype.INT16, shape, new int[] {0, 1, -1, Short.MIN_VALUE, Short.MAX_VALUE, 7}),
                new Tensor("x", Datatype.INT32, shape, new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 7}),
                new Tensor("x", Datatype.INT64, shape, new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 7}),
                new Tensor("x", Datatype.BOOL, shape, new boolean[] {true, false, false, true, true, false}),
                new Tensor("x", Datatype.BYTES, shape, new String[] {"", "a", "héllo", "two words", "€", "z"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void aTensorOfEachTypeComesBackUnchanged(Tensor in) throws Exception {
        Path file = dir.resolve(in.datatype() + ".onnx");
        Files.write(file, identity(elementType(in.datatype())));
        try (LoadedModel model = engine.load(descriptor(), file)) {
            assertThat(model.inputs().get(0).datatype()).isEqualTo(in.datatype());
            List<Tensor> out = model.run(List.of(in), List.of("y"));
            assertThat(out).hasSize(1);
            Tensor y = out.get(0);
            assertThat(y.name()).isEqualTo("y");
            assertThat(y.datatype()).isEqualTo(in.datatype());
            assertThat(y.shape()).containsExactly(2, 3);
            assertThat(y.data()).isEqualTo(in.data());
            // a second call on the same thread reuses what the first one left behind
            assertThat(model.run(List.of(in), List.of("y")).get(0).data()).isEqualTo(in.data());
        }
    }

    private static OnnxMl.TensorProto.DataType elementType(Datatype t) {
        return switch (t) {
            case FP32 -> OnnxMl.TensorProto.DataType.FLOAT;
            case FP64 -> OnnxMl.TensorProto.DataType.DOUBLE;
            case INT8 -> OnnxMl.TensorProto.DataType.INT8;
            case UINT8 -> OnnxMl.TensorProto.DataType.UINT8;
            case INT16 -> OnnxMl.TensorProto.DataType.INT16;
            case INT32 -> OnnxMl.TensorProto.DataType.INT32;
            case INT64 -> OnnxMl.TensorProto.DataType.INT64;
            case BOOL -> OnnxMl.TensorProto.DataType.BOOL;
            case BYTES -> OnnxMl.TensorProto.DataType.STRING;
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    /** y = Identity(x), x and y of the given type and shape [N, 3]. */
    private static byte[] identity(OnnxMl.TensorProto.DataType type) {
        OnnxMl.ValueInfoProto x = OnnxMl.ValueInfoProto.newBuilder().setName("x")
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber()).setShape(OnnxMl.TensorShapeProto.newBuilder()
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(3))))).build();
        OnnxMl.NodeProto node = OnnxMl.NodeProto.newBuilder().setName("id").setOpType("Identity").addInput("x")
                .addOutput("y").build();
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("identity").addNode(node).addInput(x)
                .addOutput(x.toBuilder().setName("y")).build();
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("quiver-tests")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(15))
                .setGraph(graph).build().toByteArray();
    }

    /** Tensors only: the descriptor declares no named features. */
    private static ModelDescriptor descriptor() {
        return new ModelDescriptor(null, null, "identity", List.of(), null, null, List.of(), null, null, null, null);
    }
}
