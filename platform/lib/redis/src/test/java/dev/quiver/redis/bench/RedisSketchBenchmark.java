package dev.quiver.redis.bench;

import dev.quiver.drift.DriftOptions;
import dev.quiver.drift.SketchDrift;
import dev.quiver.drift.capture.Profile;
import dev.quiver.redis.profiles.RedisProfileStore;
import dev.quiver.testing.redis.RedisServer;
import dev.quiver.model.InputField;
import io.opentelemetry.api.trace.TracerProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sketch mode as the drift function runs it in production: the window's 100 instance profiles (20 numerical
 * columns of 10,000 rows each) read back from a real redis-server on loopback, merged, and compared with the
 * reference profile. The target for merging and evaluating is 100 ms; this adds the read from the store.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RedisSketchBenchmark {

    private static final Instant WINDOW = Instant.parse("2026-11-28T03:00:00Z");
    private static final int COLUMNS = 20;

    private RedisServer server;
    private RedisProfileStore store;
    private Profile.Saved reference;

    @Setup(Level.Trial)
    public void setUp() {
        server = RedisServer.start();
        store = new RedisProfileStore(server.uri(), "bench:drift", Duration.ofSeconds(10), Duration.ZERO,
                TracerProvider.noop().get("bench"), Clock.systemUTC());
        SplittableRandom rnd = new SplittableRandom(1);
        List<InputField> fields = new ArrayList<>();
        for (int c = 0; c < COLUMNS; c++) {
            fields.add(InputField.number("x" + c));
        }
        reference = profile(fields, rnd, 100_000, 0, Instant.EPOCH);
        for (int i = 0; i < 100; i++) {
            store.save("i-" + i, profile(fields, rnd, 10_000, 0.1, WINDOW));
        }
    }

    /**
     * A profile of {@code bench:1} for the window at {@code window}: {@code rows} rows of standard normal columns
     * shifted by {@code shift}, drawn as shared-model's DriftBenchmark draws them, so that both measure the same
     * data.
     */
    private static Profile.Saved profile(List<InputField> fields, SplittableRandom rnd, int rows, double shift,
                                         Instant window) {
        double[] encoded = new double[rows * fields.size()];
        for (int i = 0; i < encoded.length; i++) {
            double radius = Math.sqrt(-2 * Math.log(1 - rnd.nextDouble()));
            encoded[i] = shift + radius * Math.cos(2 * Math.PI * rnd.nextDouble());
        }
        double[] p = new double[rows * 2];
        Arrays.fill(p, 0.5);
        Profile.Saved s = Profile.reference("bench", fields, List.of("no", "yes"), encoded, rows, p, window);
        return new Profile.Saved("bench", "1", window, s.rows(), s.labels(), s.labelCounts(), s.numeric(),
                s.moments(), s.categoryNames(), s.categories(), s.score(), s.scoreHistogram());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
        server.close();
    }

    /** Read the 100 profiles of the window from Redis. */
    @Benchmark
    public List<Profile.Saved> load() {
        return store.load("bench", "1", WINDOW);
    }

    /** Read them, merge them and compare the window with the reference: one evaluation's sketch work. */
    @Benchmark
    public SketchDrift.Result loadMergeAndEvaluate() {
        return SketchDrift.compute(reference, Profile.merge(store.load("bench", "1", WINDOW)), DriftOptions.DEFAULTS);
    }
}
