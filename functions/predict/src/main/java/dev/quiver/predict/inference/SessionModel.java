package dev.quiver.predict.inference;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quiver.error.QuiverException;
import dev.quiver.inference.LoadedModel;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.tensor.Datatype;
import dev.quiver.tensor.Tensor;
import dev.quiver.tensor.TensorSpec;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model version on its ONNX Runtime session. A call hands its tensors to the session through ORT's own Java API:
 * DJL's NDArray layer, which the engine used to go through, cost a tenth of a single-row request's CPU (a manager,
 * a random unique id and a shape object per array, attached and detached in concurrent maps) for nothing a
 * tensor-in, tensor-out model needs (docs/performance.md, Against a hand-written server).
 */
final class SessionModel implements LoadedModel {

    private final ModelDescriptor descriptor;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;

    SessionModel(ModelDescriptor descriptor, OrtEnvironment env, OrtSession session, List<TensorSpec> inputs,
                 List<TensorSpec> outputs) {
        this.descriptor = descriptor;
        this.env = env;
        this.session = session;
        this.inputs = inputs;
        this.outputs = outputs;
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
        Map<String, OnnxTensor> feed = new HashMap<>(in.size() * 2);
        Scratch scratch = Scratch.begin();
        try {
            for (Tensor t : in) {
                feed.put(t.name(), toOrt(t, scratch));
            }
            try (OrtSession.Result result = session.run(feed, requested(outputNames))) {
                List<Tensor> out = new ArrayList<>(outputNames.size());
                for (String name : outputNames) {
                    Optional<OnnxValue> v = result.get(name);
                    if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
                        throw new IllegalStateException("the graph produced no tensor '" + name + "'");
                    }
                    out.add(fromOrt(name, t));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : feed.values()) {
                t.close();
            }
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException | IllegalStateException e) {
            // closing twice, or a session the runtime already dropped: nothing is left to free
        }
    }

    private static Set<String> requested(List<String> names) {
        return names.size() == 1 ? Set.of(names.get(0)) : new LinkedHashSet<>(names);
    }

    private OnnxTensor toOrt(Tensor t, Scratch scratch) throws OrtException {
        long[] shape = t.shape();
        Object d = t.data();
        return switch (t.datatype()) {
            case FP32 -> OnnxTensor.createTensor(env, scratch.floats((float[]) d), shape);
            case FP64 -> OnnxTensor.createTensor(env, scratch.doubles((double[]) d), shape);
            case INT32 -> OnnxTensor.createTensor(env, scratch.ints((int[]) d), shape);
            case INT64 -> OnnxTensor.createTensor(env, scratch.longs((long[]) d), shape);
            case INT8 -> OnnxTensor.createTensor(env, scratch.bytes((byte[]) d), shape, OnnxJavaType.INT8);
            case UINT8 -> OnnxTensor.createTensor(env, scratch.bytes((byte[]) d), shape, OnnxJavaType.UINT8);
            case INT16 -> OnnxTensor.createTensor(env, scratch.shorts((int[]) d), shape, OnnxJavaType.INT16);
            case BOOL -> OnnxTensor.createTensor(env, scratch.bools((boolean[]) d), shape, OnnxJavaType.BOOL);
            case BYTES -> OnnxTensor.createTensor(env, (String[]) d, shape);
            default -> throw QuiverException.badInput("inputs", "tensor '" + t.name() + "' is " + t.datatype()
                    + ", which this server cannot feed to ONNX Runtime");
        };
    }

    private static Tensor fromOrt(String name, OnnxTensor t) throws OrtException {
        long[] shape = t.getInfo().getShape();
        return switch (t.getInfo().type) {
            case FLOAT -> new Tensor(name, Datatype.FP32, shape, t.getFloatBuffer().array());
            case DOUBLE -> new Tensor(name, Datatype.FP64, shape, t.getDoubleBuffer().array());
            case INT64 -> new Tensor(name, Datatype.INT64, shape, t.getLongBuffer().array());
            case INT32 -> new Tensor(name, Datatype.INT32, shape, t.getIntBuffer().array());
            case INT8 -> new Tensor(name, Datatype.INT8, shape, t.getByteBuffer().array());
            case UINT8 -> new Tensor(name, Datatype.UINT8, shape, t.getByteBuffer().array());
            case INT16 -> {
                short[] s = t.getShortBuffer().array();
                int[] v = new int[s.length];
                for (int i = 0; i < s.length; i++) {
                    v[i] = s[i];
                }
                yield new Tensor(name, Datatype.INT16, shape, v);
            }
            case BOOL -> {
                byte[] b = t.getByteBuffer().array();
                boolean[] v = new boolean[b.length];
                for (int i = 0; i < b.length; i++) {
                    v[i] = b[i] != 0;
                }
                yield new Tensor(name, Datatype.BOOL, shape, v);
            }
            case STRING -> new Tensor(name, Datatype.BYTES, shape, strings(t.getValue(), shape));
            default -> throw new IllegalStateException("output '" + name + "' has element type "
                    + t.getInfo().type + ", which is not served");
        };
    }

    /** ORT answers a string tensor as nested arrays, one level a dimension, or a lone string for a scalar. */
    private static String[] strings(Object value, long[] shape) {
        String[] flat = new String[(int) Tensor.elementCount(shape, "output")];
        int[] next = {0};
        flatten(value, flat, next);
        return flat;
    }

    private static void flatten(Object value, String[] into, int[] next) {
        if (value instanceof String s) {
            into[next[0]++] = s;
        } else {
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                flatten(Array.get(value, i), into, next);
            }
        }
    }

    /**
     * Direct memory for a call's inputs, one buffer per thread, grown as needed and handed out in consecutive
     * slices, one per input. ONNX Runtime reads a direct buffer of the platform's byte order in place, where it
     * would copy a heap array into a direct buffer allocated for the call; allocating and freeing those cost more
     * than the inference on a 100-row batch. Safe because a call's tensors are closed before the same thread makes
     * its next call.
     */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> MINE = ThreadLocal.withInitial(Scratch::new);

        private ByteBuffer buffer = allocate(64 * 1024);
        private int used;

        static Scratch begin() {
            Scratch s = MINE.get();
            s.used = 0;
            return s;
        }

        java.nio.FloatBuffer floats(float[] v) {
            return take(v.length * Float.BYTES).asFloatBuffer().put(v).flip();
        }

        java.nio.DoubleBuffer doubles(double[] v) {
            return take(v.length * Double.BYTES).asDoubleBuffer().put(v).flip();
        }

        java.nio.IntBuffer ints(int[] v) {
            return take(v.length * Integer.BYTES).asIntBuffer().put(v).flip();
        }

        java.nio.LongBuffer longs(long[] v) {
            return take(v.length * Long.BYTES).asLongBuffer().put(v).flip();
        }

        java.nio.ShortBuffer shorts(int[] v) {
            java.nio.ShortBuffer b = take(v.length * Short.BYTES).asShortBuffer();
            for (int x : v) {
                b.put((short) x);
            }
            return b.flip();
        }

        ByteBuffer bytes(byte[] v) {
            return take(v.length).put(v).flip();
        }

        ByteBuffer bools(boolean[] v) {
            ByteBuffer b = take(v.length);
            for (boolean x : v) {
                b.put((byte) (x ? 1 : 0));
            }
            return b.flip();
        }

        /** The next {@code n} bytes, at an 8-byte boundary; a bigger buffer when this one is full. */
        private ByteBuffer take(int n) {
            int start = (used + 7) & ~7;
            if (start + n > buffer.capacity()) {
                // slices already handed out keep the old buffer alive until the call's tensors are closed
                buffer = allocate(Math.max(n, buffer.capacity() * 2));
                start = 0;
            }
            used = start + n;
            return buffer.slice(start, n).order(ByteOrder.nativeOrder());
        }

        private static ByteBuffer allocate(int n) {
            return ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
        }
    }
}
