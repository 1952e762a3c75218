package dev.quiver.predict.inference;

import ai.djl.engine.Engine;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.quiver.error.QuiverException;
import dev.quiver.inference.InferenceEngine;
import dev.quiver.inference.LoadedModel;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.tensor.Datatype;
import dev.quiver.tensor.Tensor;
import dev.quiver.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs ONNX models on DJL's ONNX Runtime engine.
 *
 * <p>DJL's engine loads ONNX Runtime (from its engine cache, {@link OrtNativeCache}). One ONNX Runtime session per
 * model version, created here once with the configured thread counts; inferences run on it directly
 * ({@link SessionModel}). The session's own signature
 * (names, element types, shapes) is what requests are checked against; the descriptor must agree with it or
 * the version is rejected. A warm-up inference on a zero batch of one runs before the model is handed out.
 */
public final class DjlOnnxEngine implements InferenceEngine {

    private final OrtEnvironment env;
    private final int intraOpThreads;
    private final int interOpThreads;

    public DjlOnnxEngine(int intraOpThreads, int interOpThreads) {
        if (intraOpThreads < 1 || interOpThreads < 1) {
            throw new IllegalArgumentException("thread counts must be at least 1");
        }
        DjlTelemetry.optOut();
        Engine.getEngine("OnnxRuntime");
        this.env = OrtEnvironment.getEnvironment();
        this.intraOpThreads = intraOpThreads;
        this.interOpThreads = interOpThreads;
    }

    @Override
    public LoadedModel load(ModelDescriptor descriptor, Path artifact) {
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(interOpThreads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(artifact.toString(), options);
        } catch (OrtException e) {
            throw QuiverException.rejected("model", "not a model ONNX Runtime can load: " + firstLine(e.getMessage()), e);
        }
        try {
            List<TensorSpec> inputs = signature(session.getInputInfo(), "input");
            List<TensorSpec> outputs = signature(session.getOutputInfo(), "output");
            checkAgainstDescriptor(descriptor, inputs, outputs);
            SessionModel model = new SessionModel(descriptor, env, session, inputs, outputs);
            warmUp(model);
            return model;
        } catch (OrtException e) {
            close(session);
            throw QuiverException.rejected("model", "cannot read the graph's signature: " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            close(session);
            throw e;
        }
    }

    private static void warmUp(SessionModel model) {
        List<Tensor> zeros = new ArrayList<>();
        for (TensorSpec s : model.inputs()) {
            long[] shape = Arrays.stream(s.shape()).map(d -> d < 0 ? 1 : d).toArray();
            zeros.add(new Tensor(s.name(), s.datatype(), shape,
                    filled(s.datatype(), (int) Tensor.elementCount(shape, "warm-up"))));
        }
        try {
            model.run(zeros, model.outputs().stream().map(TensorSpec::name).toList());
        } catch (RuntimeException e) {
            throw QuiverException.rejected("model", "the warm-up inference failed: " + firstLine(e.getMessage()), e);
        }
    }

    private static Object filled(Datatype t, int n) {
        Object a = t.newArray(n);
        if (a instanceof String[] s) {
            Arrays.fill(s, "");
        }
        return a;
    }

    private static void checkAgainstDescriptor(ModelDescriptor d, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        if (d.inputs().isEmpty()) {
            return;
        }
        TensorSpec in = inputs.stream().filter(s -> s.name().equals(d.input().name())).findFirst()
                .orElseThrow(() -> QuiverException.rejected("descriptor.input.name", "the graph has no input '"
                        + d.input().name() + "'; its inputs are " + names(inputs)));
        if (inputs.size() != 1) {
            throw QuiverException.rejected("descriptor.input", "named features fill one input, but the graph takes "
                    + names(inputs));
        }
        if (in.datatype() != d.input().datatype()) {
            throw QuiverException.rejected("descriptor.input.datatype", "the graph's input '" + in.name() + "' is "
                    + in.datatype() + ", not " + d.input().datatype());
        }
        long[] shape = in.shape();
        if (shape.length != 2 || (shape[1] >= 0 && shape[1] != d.inputWidth())) {
            throw QuiverException.rejected("descriptor.inputs", "the declared features fill " + d.inputWidth()
                    + " values per row, but the graph's input '" + in.name() + "' has shape " + Arrays.toString(shape));
        }
        checkOutput(outputs, d.outputs().probabilities(), "descriptor.outputs.probabilities", d.labels().size());
        if (d.outputs().label() != null) {
            checkOutput(outputs, d.outputs().label(), "descriptor.outputs.label", -1);
        }
    }

    private static void checkOutput(List<TensorSpec> outputs, String name, String field, int classes) {
        TensorSpec out = outputs.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> QuiverException.rejected(field, "the graph has no output '" + name
                        + "'; its outputs are " + names(outputs)));
        if (classes > 0) {
            long[] shape = out.shape();
            if (shape.length != 2 || (shape[1] >= 0 && shape[1] != classes)) {
                throw QuiverException.rejected(field, "output '" + name + "' has shape " + Arrays.toString(shape)
                        + ", not [rows, " + classes + "] for the " + classes + " declared labels");
            }
        }
    }

    private static List<TensorSpec> signature(Map<String, NodeInfo> info, String what) {
        List<TensorSpec> specs = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : info.entrySet()) {
            if (!(e.getValue().getInfo() instanceof TensorInfo t)) {
                throw QuiverException.rejected("model", what + " '" + e.getKey() + "' is not a tensor ("
                        + e.getValue().getInfo() + "); only tensor inputs and outputs are served");
            }
            specs.add(new TensorSpec(e.getKey(), datatype(t.type, e.getKey()), t.getShape()));
        }
        return List.copyOf(specs);
    }

    static Datatype datatype(OnnxJavaType t, String name) {
        return switch (t) {
            case FLOAT -> Datatype.FP32;
            case DOUBLE -> Datatype.FP64;
            case INT8 -> Datatype.INT8;
            case UINT8 -> Datatype.UINT8;
            case INT16 -> Datatype.INT16;
            case INT32 -> Datatype.INT32;
            case INT64 -> Datatype.INT64;
            case BOOL -> Datatype.BOOL;
            case STRING -> Datatype.BYTES;
            case FLOAT16 -> Datatype.FP16;
            default -> throw QuiverException.rejected("model", "tensor '" + name + "' has element type " + t
                    + ", which this server does not serve");
        };
    }

    private static List<String> names(List<TensorSpec> specs) {
        return specs.stream().map(TensorSpec::name).toList();
    }

    private static void close(OrtSession s) {
        try {
            s.close();
        } catch (OrtException ignored) {
            // closing a session that failed its checks; nothing else holds it
        }
    }

    /** ONNX Runtime's messages can carry whole C++ signatures; keep the part a person can act on. */
    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        int sig = line.lastIndexOf("] ");
        if (line.contains("onnxruntime_src") && sig > 0) {
            line = line.substring(0, line.indexOf("onnxruntime_src")).replaceAll("[/ ]+$", "") + ": "
                    + line.substring(sig + 2);
        }
        return line.length() > 400 ? line.substring(0, 400) + "..." : line;
    }
}
