package dev.quiver.predict.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.djl.training.ParameterStore;
import dev.quiver.error.QuiverException;
import dev.quiver.inference.LoadedModel;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.tensor.Datatype;
import dev.quiver.tensor.Tensor;
import dev.quiver.tensor.TensorSpec;

import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A model version served by DJL's {@link OrtSymbolBlock}; each call runs in its own short-lived NDManager. */
final class DjlLoadedModel implements LoadedModel {

    private final ModelDescriptor descriptor;
    private final OrtSymbolBlock block;
    private final NDManager manager;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final ParameterStore parameters;

    DjlLoadedModel(ModelDescriptor descriptor, OrtSymbolBlock block, NDManager manager, List<TensorSpec> inputs,
                   List<TensorSpec> outputs) {
        this.descriptor = descriptor;
        this.block = block;
        this.manager = manager;
        this.inputs = inputs;
        this.outputs = outputs;
        this.parameters = new ParameterStore(manager, false);
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public List<TensorSpec> inputs() {
        return inputs;
    }

    @Override
    public List<TensorSpec> outputs() {
        return outputs;
    }

    @Override
    public List<Tensor> run(List<Tensor> in, List<String> outputNames) {
        try (NDManager call = manager.newSubManager()) {
            NDList list = new NDList(in.size());
            for (Tensor t : in) {
                NDArray a = toNd(call, t);
                a.setName(t.name());
                list.add(a);
            }
            NDList out = block.forward(parameters, list, false);
            List<Tensor> result = new ArrayList<>(outputNames.size());
            for (String name : outputNames) {
                NDArray a = out.get(name);
                if (a == null) {
                    throw new IllegalStateException("the graph produced no output '" + name + "'");
                }
                result.add(fromNd(name, a));
            }
            return result;
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    private static NDArray toNd(NDManager m, Tensor t) {
        Shape shape = new Shape(t.shape());
        Object d = t.data();
        return switch (t.datatype()) {
            case FP32 -> m.create(Scratch.floats((float[]) d), shape, DataType.FLOAT32);
            case FP64 -> m.create(Scratch.doubles((double[]) d), shape, DataType.FLOAT64);
            case INT32 -> m.create((int[]) d, shape);
            case INT64 -> m.create((long[]) d, shape);
            case INT8 -> m.create(ByteBuffer.wrap((byte[]) d), shape, DataType.INT8);
            case UINT8 -> m.create(ByteBuffer.wrap((byte[]) d), shape, DataType.UINT8);
            case INT16 -> m.create(shorts((int[]) d), shape, DataType.INT16);
            case BOOL -> m.create((boolean[]) d, shape);
            case BYTES -> m.create((String[]) d, StandardCharsets.UTF_8, shape);
            default -> throw QuiverException.badInput("inputs", "tensor '" + t.name() + "' is " + t.datatype()
                    + ", which this server cannot feed to ONNX Runtime");
        };
    }

    private static Tensor fromNd(String name, NDArray a) {
        long[] shape = a.getShape().getShape();
        DataType t = a.getDataType();
        if (t == DataType.FLOAT32) {
            return new Tensor(name, Datatype.FP32, shape, a.toFloatArray());
        } else if (t == DataType.FLOAT64) {
            return new Tensor(name, Datatype.FP64, shape, a.toDoubleArray());
        } else if (t == DataType.INT64) {
            return new Tensor(name, Datatype.INT64, shape, a.toLongArray());
        } else if (t == DataType.INT32) {
            return new Tensor(name, Datatype.INT32, shape, a.toIntArray());
        } else if (t == DataType.INT8) {
            return new Tensor(name, Datatype.INT8, shape, a.toByteArray());
        } else if (t == DataType.UINT8) {
            return new Tensor(name, Datatype.UINT8, shape, a.toByteArray());
        } else if (t == DataType.INT16) {
            short[] s = a.toShortArray();
            int[] v = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                v[i] = s[i];
            }
            return new Tensor(name, Datatype.INT16, shape, v);
        } else if (t == DataType.BOOLEAN) {
            return new Tensor(name, Datatype.BOOL, shape, a.toBooleanArray());
        } else if (t == DataType.STRING) {
            return new Tensor(name, Datatype.BYTES, shape, a.toStringArray(StandardCharsets.UTF_8));
        }
        throw new IllegalStateException("output '" + name + "' has element type " + t + ", which is not served");
    }

    /**
     * One direct buffer per thread for float inputs, grown as needed. ONNX Runtime reads a direct buffer in
     * place, where it would copy a heap array into a direct buffer allocated for every call; allocating and
     * freeing those buffers cost more than the inference on a 100-row batch. Safe because a call's tensors
     * are closed before the same thread makes its next call.
     */
    private static final class Scratch {
        private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> allocate(64 * 1024));

        static java.nio.FloatBuffer floats(float[] v) {
            java.nio.FloatBuffer b = bytes(v.length * Float.BYTES).asFloatBuffer();
            b.put(v).flip();
            return b;
        }

        static java.nio.DoubleBuffer doubles(double[] v) {
            java.nio.DoubleBuffer b = bytes(v.length * Double.BYTES).asDoubleBuffer();
            b.put(v).flip();
            return b;
        }

        private static ByteBuffer bytes(int n) {
            ByteBuffer b = BUFFER.get();
            if (b.capacity() < n) {
                b = allocate(Math.max(n, b.capacity() * 2));
                BUFFER.set(b);
            }
            b.clear().limit(n);
            return b;
        }

        private static ByteBuffer allocate(int n) {
            return ByteBuffer.allocateDirect(n).order(java.nio.ByteOrder.nativeOrder());
        }
    }

    private static ShortBuffer shorts(int[] v) {
        short[] s = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = (short) v[i];
        }
        return ShortBuffer.wrap(s);
    }
}
