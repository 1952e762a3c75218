package dev.quiver.drift.bench;

import dev.quiver.drift.ColumnDrift;
import dev.quiver.drift.ColumnOptions;
import dev.quiver.drift.ColumnValues;
import dev.quiver.drift.DataDrift;
import dev.quiver.drift.DataDriftResult;
import dev.quiver.drift.DriftOptions;
import dev.quiver.drift.StatTest;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Quiver's side of {@code shared-model/bench/drift-vs-scipy.sh}: exact-mode drift through {@link DataDrift#compute}
 * on the data set {@code drift_scipy.py generate} wrote (little-endian float64, column after column), KS on every
 * column and then the default test (the normed Wasserstein distance at these sizes). The files are read before any
 * clock starts; each test runs {@code warmups} times untimed, then once timed. Prints one JSON line with the seconds
 * and every column's statistic and p-value, for the script to compare with SciPy's.
 *
 * <p>Usage: {@code DriftVsScipy DIR [WARMUPS]}.
 */
public final class DriftVsScipy {

    private DriftVsScipy() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String[] shape = Files.readString(dir.resolve("shape")).trim().split("\\s+");
        int rows = Integer.parseInt(shape[0]);
        int referenceRows = Integer.parseInt(shape[1]);
        int columns = Integer.parseInt(shape[2]);
        double[][] ref = read(dir.resolve("reference.f64"), columns, referenceRows);
        double[][] cur = read(dir.resolve("current.f64"), columns, rows);
        Map<String, ColumnValues> reference = new LinkedHashMap<>();
        Map<String, ColumnValues> current = new LinkedHashMap<>();
        DriftOptions ks = DriftOptions.DEFAULTS;
        for (int c = 0; c < columns; c++) {
            reference.put("x" + c, ColumnValues.of(ref[c]));
            current.put("x" + c, ColumnValues.of(cur[c]));
            ks = ks.with("x" + c, ColumnOptions.test(StatTest.KS));
        }
        DriftOptions ksOptions = ks;
        Timed ksRun = time(warmups, () -> DataDrift.compute(reference, current, ksOptions));
        Timed wRun = time(warmups, () -> DataDrift.compute(reference, current, DriftOptions.DEFAULTS));
        for (ColumnDrift col : wRun.result.columns()) {
            if (col.test() != StatTest.WASSERSTEIN) {
                throw new IllegalStateException(col.name() + ": the default test is " + col.test() + ", not Wasserstein");
            }
        }
        List<Double> ksStat = new ArrayList<>();
        List<Double> ksP = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        ksRun.result.columns().forEach(col -> {
            ksStat.add(col.statistic());
            ksP.add(col.pValue());
        });
        wRun.result.columns().forEach(col -> w.add(col.statistic()));
        System.out.println("{\"side\": \"java\", \"java\": \"" + System.getProperty("java.version")
                + "\", \"processors\": " + Runtime.getRuntime().availableProcessors()
                + ", \"ks_seconds\": " + ksRun.seconds + ", \"wasserstein_seconds\": " + wRun.seconds
                + ", \"ks_statistic\": " + json(ksStat) + ", \"ks_pvalue\": " + json(ksP)
                + ", \"wasserstein_normed\": " + json(w) + "}");
    }

    private record Timed(DataDriftResult result, double seconds) {
    }

    private static Timed time(int warmups, Supplier<DataDriftResult> run) {
        for (int i = 0; i < warmups; i++) {
            run.get();
        }
        long t0 = System.nanoTime();
        DataDriftResult result = run.get();
        return new Timed(result, (System.nanoTime() - t0) / 1e9);
    }

    private static double[][] read(Path file, int columns, int rows) throws IOException {
        double[][] out = new double[columns][rows];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() != (long) columns * rows * Double.BYTES) {
                throw new IllegalStateException(file + " holds " + ch.size() + " bytes, not " + columns + " x " + rows
                        + " doubles");
            }
            for (int c = 0; c < columns; c++) {
                DoubleBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, (long) c * rows * Double.BYTES,
                        (long) rows * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
                b.get(out[c]);
            }
        }
        return out;
    }

    private static String json(List<Double> values) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        // repr-exact: Double.toString gives the shortest string that reads back as the same double
        values.forEach(v -> j.add(Double.toString(v)));
        return j.toString();
    }
}
