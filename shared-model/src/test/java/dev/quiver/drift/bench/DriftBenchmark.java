package dev.quiver.drift.bench;

import dev.quiver.drift.ColumnOptions;
import dev.quiver.drift.ColumnValues;
import dev.quiver.drift.DataDrift;
import dev.quiver.drift.DataDriftResult;
import dev.quiver.drift.DriftOptions;
import dev.quiver.drift.SketchDrift;
import dev.quiver.drift.StatTest;
import dev.quiver.drift.capture.Profile;
import dev.quiver.model.InputField;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The drift issue's speed figures for the drift core:
 * <ul>
 *   <li>exact mode, KS and Wasserstein over 1,000,000 rows × 20 numerical columns against a 100,000-row reference:
 *       at most 3 s;</li>
 *   <li>sketch mode, merging 100 instances' profiles of 20 columns and evaluating the window: at most 100 ms.</li>
 * </ul>
 * Columns are normal, the current sample shifted by 0.1 standard deviations in half of them. The columns are computed
 * side by side when the JVM sees more than one processor ({@code -jvmArgs -XX:ActiveProcessorCount=1} gives the
 * one-vCPU figure). The comparison with SciPy on the same data, statistics checked against each other, is
 * {@code shared-model/bench/drift-vs-scipy.sh} ({@link DriftVsScipy}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DriftBenchmark {

    static final int COLUMNS = 20;

    private Map<String, ColumnValues> reference;
    private Map<String, ColumnValues> current;
    private DriftOptions ks;
    private Profile.Saved referenceProfile;
    private List<Profile.Saved> instances;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(1);
        reference = new LinkedHashMap<>();
        current = new LinkedHashMap<>();
        ks = DriftOptions.DEFAULTS;
        List<InputField> fields = new ArrayList<>();
        for (int c = 0; c < COLUMNS; c++) {
            String name = "x" + c;
            double shift = c % 2 == 0 ? 0.1 : 0;
            reference.put(name, ColumnValues.of(normal(rnd, 100_000, 0)));
            current.put(name, ColumnValues.of(normal(rnd, 1_000_000, shift)));
            ks = ks.with(name, ColumnOptions.test(StatTest.KS));
            fields.add(InputField.number(name));
        }
        referenceProfile = profile(fields, rnd, 100_000, 0);
        instances = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            instances.add(profile(fields, rnd, 10_000, 0.1));
        }
    }

    private static double[] normal(SplittableRandom rnd, int n, double shift) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = shift + Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
        }
        return x;
    }

    static Profile.Saved profile(List<InputField> fields, SplittableRandom rnd, int rows, double shift) {
        double[] encoded = new double[rows * fields.size()];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = shift + Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
        }
        double[] p = new double[rows * 2];
        java.util.Arrays.fill(p, 0.5);
        Profile.Saved s = Profile.reference("bench", fields, List.of("no", "yes"), encoded, rows, p, Instant.EPOCH);
        return new Profile.Saved("bench", "1", Instant.EPOCH, s.rows(), s.labels(), s.labelCounts(), s.numeric(),
                s.moments(), s.categoryNames(), s.categories(), s.score(), s.scoreHistogram());
    }

    /** Exact mode, Evidently's default for a reference over 1,000 rows: the normed Wasserstein distance. */
    @Benchmark
    public DataDriftResult exactWasserstein() {
        return DataDrift.compute(reference, current, DriftOptions.DEFAULTS);
    }

    /** Exact mode with KS on every column (asymptotic p-values at these sizes, as SciPy's method='auto'). */
    @Benchmark
    public DataDriftResult exactKs() {
        return DataDrift.compute(reference, current, ks);
    }

    /** Sketch mode: merge 100 instances' window profiles, then compare with the reference profile. */
    @Benchmark
    public SketchDrift.Result sketchMergeAndEvaluate() {
        return SketchDrift.compute(referenceProfile, Profile.merge(instances), DriftOptions.DEFAULTS);
    }
}
