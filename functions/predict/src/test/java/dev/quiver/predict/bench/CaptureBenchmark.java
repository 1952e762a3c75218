package dev.quiver.predict.bench;

import dev.quiver.testing.files.Repository;
import dev.quiver.drift.capture.Capture;
import dev.quiver.drift.capture.DirectoryProfileStore;
import dev.quiver.predict.ChurnRows;
import dev.quiver.predict.inference.DjlOnnxEngine;
import dev.quiver.inference.ServedModel;
import dev.quiver.registry.Catalog;
import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.tensor.Datatype;
import dev.quiver.tensor.Tensor;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What drift capture adds to a prediction (the drift issue allows at most 1 µs per 19-feature row): the demo
 * model's rows, encoded as the model receives them, and its outputs, into the current window's profile (15 KLL
 * updates, 4 category counts, a label count, a score update).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CaptureBenchmark {

    @Param({"1", "100"})
    public int rows;

    private ModelRegistry registry;
    private ServedModel served;
    private Capture capture;
    private Tensor input;
    private double[] probabilities;
    private long[] labels;
    private Path store;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path root = Repository.root();
        store = Files.createTempDirectory("quiver-bench-");
        DirectoryModelStore models = new DirectoryModelStore(store.resolve("models"));
        Catalog.read(root.resolve("config/models.yaml")).seed(root.resolve("config"), models);
        registry = new ModelRegistry(models, new DjlOnnxEngine(1, 1), Clock.systemUTC());
        registry.start();
        served = registry.resolve("churn", null, null);
        double[] encoded = served.encoder().encodeDouble(ChurnRows.batch(rows));
        input = new Tensor("features", Datatype.FP64, new long[] {rows, served.encoder().width()}, encoded);
        probabilities = new double[rows * 2];
        labels = new long[rows];
        for (int r = 0; r < rows; r++) {
            probabilities[2 * r] = 0.8 - r * 0.001;
            probabilities[2 * r + 1] = 0.2 + r * 0.001;
        }
        capture = new Capture(new DirectoryProfileStore(store.resolve("profiles")), Clock.systemUTC(),
                Duration.ofHours(1), "bench");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        registry.close();
        try (var s = Files.walk(store)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One call of {@code rows} rows into the profile alone (no request id); divide by {@code rows} per row. */
    @Benchmark
    public long capture() {
        capture.served(served, input, rows, probabilities, labels, null, null);
        return capture.captured();
    }

    /**
     * The same, also keeping each row's score and label under its request id for the labels to come. The log is
     * written out after every iteration, as the 10 s flush does; run with short iterations ({@code -r 100ms}) so
     * that every row is kept (at most {@value dev.quiver.drift.capture.Profile#MAX_LOGGED_ROWS} between flushes).
     */
    @Benchmark
    public long captureAndLog() {
        capture.served(served, input, rows, probabilities, labels, "request-id", null);
        return capture.captured();
    }

    @org.openjdk.jmh.annotations.TearDown(Level.Iteration)
    public void flush() {
        capture.flush();
    }
}
