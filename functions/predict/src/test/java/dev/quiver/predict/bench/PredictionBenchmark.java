package dev.quiver.predict.bench;

import dev.quiver.testing.files.Repository;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.quiver.error.Stages;
import dev.quiver.predict.ChurnRows;
import dev.quiver.predict.inference.DjlOnnxEngine;
import dev.quiver.inference.FeatureEncoder;
import dev.quiver.prediction.PredictRequest;
import dev.quiver.prediction.PredictResult;
import dev.quiver.prediction.PredictionObserver;
import dev.quiver.prediction.PredictionService;
import dev.quiver.registry.Catalog;
import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.registry.ModelRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the predict service costs over a raw ONNX Runtime session run of the same model (the committed churn
 * demo), for one row and for a batch of 100.
 *
 * <p>{@code rawOrt}: the rows already encoded as doubles in a direct buffer made once, wrapped in an
 * {@code OnnxTensor}, run with
 * {@code OrtSession.run}, probabilities read back: the least any server must do. {@code service}: a
 * {@link PredictRequest} of named JSON-like rows through {@link PredictionService#predict} (model resolution,
 * checking and encoding every feature, the run on the ONNX Runtime session, label and probability maps per row).
 * Both run on one intra-op thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PredictionBenchmark {

    @Param({"1", "100"})
    public int rows;

    private PredictionService service;
    private dev.quiver.rollout.RoutedPredictions routed;
    private PredictRequest keyed;
    private ModelRegistry registry;
    private PredictRequest request;
    private PredictRequest parsed;
    private OrtEnvironment env;
    private OrtSession session;
    private double[] encoded;
    private FeatureEncoder encoder;
    private List<Map<String, Object>> batch;
    private long[] shape;
    private DoubleBuffer direct;
    private Path store;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path root = Repository.root();
        store = Files.createTempDirectory("quiver-bench-");
        DirectoryModelStore models = new DirectoryModelStore(store);
        Catalog.read(root.resolve("config/models.yaml")).seed(root.resolve("config"), models);
        registry = new ModelRegistry(models, new DjlOnnxEngine(1, 1), Clock.systemUTC());
        registry.start();
        service = new PredictionService(registry, 1000, PredictionObserver.NONE);
        batch = ChurnRows.batch(rows);
        request = new PredictRequest("churn", null, null, batch, "bench");
        // the same request as the function reads it from its JSON body: rows in the parser's own map
        Map<String, Object> body = new java.util.LinkedHashMap<>(ChurnRows.request(batch));
        body.put("request_id", "bench");
        parsed = dev.quiver.json.Json.MAPPER.readValue(dev.quiver.json.Json.MAPPER.writeValueAsBytes(body),
                PredictRequest.class);

        // a canary at 50% between version 1 and the same model registered again as version 2; the step never
        // ends, so every call routes, records its arm's latency and score, and nothing else changes
        registry.register("churn", registry.descriptor("churn", "1").withIdentity(null, null, null, null),
                Files.readAllBytes(root.resolve("config/models/churn/1/model.onnx")));
        registry.setAlias("churn", "challenger", "2");
        dev.quiver.rollout.Rollouts rollouts = new dev.quiver.rollout.Rollouts(registry,
                new dev.quiver.rollout.FileRolloutStore(store.resolve("rollouts")), Map.of(),
                dev.quiver.team.TeamChannel.NONE, Clock.systemUTC(), "bench");
        rollouts.start("churn", new dev.quiver.rollout.RolloutPolicy(dev.quiver.rollout.RolloutPolicy.Strategy.CANARY,
                null, null, List.of(50, 100), Long.MAX_VALUE, java.time.Duration.ofDays(1), null, null), "bench");
        routed = new dev.quiver.rollout.RoutedPredictions(service, rollouts, 16);
        keyed = new PredictRequest("churn", null, null, batch, "bench", null, "customer-42");

        encoder = registry.resolve("churn", null, null).encoder();
        encoded = encoder.encodeDouble(batch);
        shape = new long[] {rows, encoder.width()};
        direct = java.nio.ByteBuffer.allocateDirect(encoded.length * Double.BYTES).order(java.nio.ByteOrder.nativeOrder())
                .asDoubleBuffer().put(encoded);
        direct.rewind();
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(root.resolve("config/models/churn/1/model.onnx").toString(), options);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        routed.close();
        session.close();
        registry.close();
        try (var s = Files.walk(store)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public float[][] rawOrt() throws Exception {
        try (OnnxTensor x = OnnxTensor.createTensor(env, direct, shape);
             OrtSession.Result r = session.run(Map.of("features", x))) {
            return (float[][]) r.get("probabilities").orElseThrow().getValue();
        }
    }

    /** Raw ORT asked for both outputs the service returns, copied out, with the encoded rows copied in. */
    @Benchmark
    public Object rawOrtBoth() throws Exception {
        direct.clear();
        direct.put(encoded).flip();
        try (OnnxTensor x = OnnxTensor.createTensor(env, direct, shape);
             OrtSession.Result r = session.run(Map.of("features", x), java.util.Set.of("label", "probabilities"))) {
            float[] p = ((OnnxTensor) r.get("probabilities").orElseThrow()).getFloatBuffer().array();
            long[] l = ((OnnxTensor) r.get("label").orElseThrow()).getLongBuffer().array();
            return p.length + l.length;
        }
    }

    /** The served model's run alone: pre-encoded rows through its ONNX Runtime session, both outputs copied out. */
    @Benchmark
    public Object modelRun() {
        return registry.resolve("churn", null, null).model().run(
                List.of(new dev.quiver.tensor.Tensor("features", dev.quiver.tensor.Datatype.FP64, shape, encoded)),
                List.of("label", "probabilities"));
    }

    /** The encoder alone: named rows to the model's input matrix. */
    @Benchmark
    public double[] encode() {
        return encoder.encodeDouble(batch);
    }

    /** The encoder alone on the rows as the function's JSON parser gives them ({@code NamedRow}s). */
    @Benchmark
    public double[] encodeParsed() {
        return encoder.encodeDouble(parsed.rows());
    }

    @Benchmark
    public PredictResult service() {
        return Stages.join(service.predict(request));
    }

    /** {@link #service} on the request as the function reads it from a JSON body. */
    @Benchmark
    public PredictResult serviceParsed() {
        return Stages.join(service.predict(parsed));
    }

    /** {@link #service} under a canary: the arm chosen by the request's key, its latency and score recorded. */
    @Benchmark
    public PredictResult routed() {
        return Stages.join(routed.predict(keyed));
    }
}
