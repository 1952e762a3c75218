package dev.quiver.drift;

import dev.quiver.error.QuiverException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataDriftTest {

    static double[] normal(SplittableRandom rnd, int n, double mean) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller
            v[i] = mean + Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
        }
        return v;
    }

    /** Four numerical columns of 500 rows; the current sample's first {@code shifted} columns moved by one sd. */
    static Map<String, ColumnValues>[] data(int shifted) {
        SplittableRandom rnd = new SplittableRandom(11);
        Map<String, ColumnValues> reference = new LinkedHashMap<>();
        Map<String, ColumnValues> current = new LinkedHashMap<>();
        for (int c = 0; c < 4; c++) {
            reference.put("x" + c, ColumnValues.of(normal(rnd, 500, 0)));
            current.put("x" + c, ColumnValues.of(normal(rnd, 400, c < shifted ? 1 : 0)));
        }
        @SuppressWarnings("unchecked")
        Map<String, ColumnValues>[] out = new Map[] {reference, current};
        return out;
    }

    @Test
    void theDataSetDriftsWhenTheShareOfDriftedColumnsReachesTheConfiguredShare() {
        Map<String, ColumnValues>[] one = data(1);
        DataDriftResult r1 = DataDrift.compute(one[0], one[1], DriftOptions.DEFAULTS);
        assertThat(r1.columns()).extracting(ColumnDrift::name).containsExactly("x0", "x1", "x2", "x3");
        assertThat(r1.columns()).allSatisfy(c -> assertThat(c.test()).isEqualTo(StatTest.KS));
        assertThat(r1.columns()).extracting(ColumnDrift::drifted).containsExactly(true, false, false, false);
        assertThat(r1.driftedColumns()).isEqualTo(1);
        assertThat(r1.shareOfDriftedColumns()).isEqualTo(0.25);
        assertThat(r1.driftShare()).isEqualTo(0.5);
        assertThat(r1.datasetDrift()).isFalse();
        // the same data against a share of 0.25: reaching it is enough
        assertThat(DataDrift.compute(one[0], one[1], DriftOptions.withDriftShare(0.25)).datasetDrift()).isTrue();

        Map<String, ColumnValues>[] two = data(2);
        DataDriftResult r2 = DataDrift.compute(two[0], two[1], DriftOptions.DEFAULTS);
        assertThat(r2.shareOfDriftedColumns()).isEqualTo(0.5);
        assertThat(r2.datasetDrift()).isTrue();
        assertThat(DataDrift.compute(two[0], two[1], DriftOptions.withDriftShare(0.75)).datasetDrift()).isFalse();
    }

    @Test
    void perColumnOverridesChangeTheTestAndTheThreshold() {
        Map<String, ColumnValues>[] d = data(0);
        DriftOptions options = DriftOptions.DEFAULTS
                .with("x0", ColumnOptions.test(StatTest.WASSERSTEIN, 0.01))
                .with("x1", ColumnOptions.threshold(0.99))
                .with("x2", ColumnOptions.test(StatTest.PSI));
        DataDriftResult r = DataDrift.compute(d[0], d[1], options);
        ColumnDrift x0 = r.column("x0");
        assertThat(x0.test()).isEqualTo(StatTest.WASSERSTEIN);
        assertThat(x0.pValue()).isNull();
        assertThat(x0.threshold()).isEqualTo(0.01);
        assertThat(x0.statistic()).isEqualTo(WassersteinDistance.test(values(d[0], "x0"), values(d[1], "x0")).normed());
        // the same samples, no shift: a distance above 0.01 is drift at that threshold
        assertThat(x0.drifted()).isEqualTo(x0.statistic() >= 0.01).isTrue();
        ColumnDrift x1 = r.column("x1");
        assertThat(x1.test()).isEqualTo(StatTest.KS);
        assertThat(x1.threshold()).isEqualTo(0.99);
        assertThat(x1.drifted()).isEqualTo(x1.pValue() <= 0.99);
        assertThat(r.column("x2").test()).isEqualTo(StatTest.PSI);
        assertThat(r.column("x2").threshold()).isEqualTo(0.1);
        assertThat(r.column("x3").test()).isEqualTo(StatTest.KS);
        assertThat(r.column("x3").score()).isEqualTo(r.column("x3").pValue());
    }

    @Test
    void numbersCanBeDeclaredCategorical() {
        Map<String, ColumnValues> ref = Map.of("code", ColumnValues.of(408, 415, 415, 510, 415));
        Map<String, ColumnValues> cur = Map.of("code", ColumnValues.of(408, 408, 415, 510));
        DataDriftResult r = DataDrift.compute(ref, cur,
                DriftOptions.DEFAULTS.with("code", ColumnOptions.type(ColumnType.CATEGORICAL)));
        assertThat(r.column("code").type()).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(r.column("code").test()).isEqualTo(StatTest.CHI_SQUARE);
    }

    static double[] values(Map<String, ColumnValues> data, String column) {
        return ((ColumnValues.Numbers) data.get(column)).values();
    }

    static void assertBadInput(Executable call, String field) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(QuiverException.class, e -> {
            assertThat(e.kind()).isEqualTo(QuiverException.Kind.BAD_INPUT);
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).startsWith(field + ": ");
        });
    }

    @Test
    void badInputNamesTheField() {
        Map<String, ColumnValues> ref = new LinkedHashMap<>();
        ref.put("age", ColumnValues.of(1, 2, 3));
        ref.put("state", ColumnValues.of(List.of("KS", "OH")));
        Map<String, ColumnValues> cur = new LinkedHashMap<>(ref);

        // a column missing from the current sample
        Map<String, ColumnValues> missing = new LinkedHashMap<>(cur);
        missing.remove("state");
        assertBadInput(() -> DataDrift.compute(ref, missing, DriftOptions.DEFAULTS), "current.state");

        // empty samples
        Map<String, ColumnValues> empty = new LinkedHashMap<>(cur);
        empty.put("age", ColumnValues.of());
        assertBadInput(() -> DataDrift.compute(ref, empty, DriftOptions.DEFAULTS), "current.age");
        Map<String, ColumnValues> emptyRef = new LinkedHashMap<>(ref);
        emptyRef.put("state", ColumnValues.of(List.of()));
        assertBadInput(() -> DataDrift.compute(emptyRef, cur, DriftOptions.DEFAULTS), "reference.state");
        assertBadInput(() -> DataDrift.compute(Map.of(), cur, DriftOptions.DEFAULTS), "reference");

        // NaN, infinity and null, named with their row
        Map<String, ColumnValues> nan = new LinkedHashMap<>(cur);
        nan.put("age", ColumnValues.of(1, Double.NaN, 3));
        assertBadInput(() -> DataDrift.compute(ref, nan, DriftOptions.DEFAULTS), "current.age[1]");
        Map<String, ColumnValues> inf = new LinkedHashMap<>(ref);
        inf.put("age", ColumnValues.of(Double.NEGATIVE_INFINITY, 2));
        assertBadInput(() -> DataDrift.compute(inf, cur, DriftOptions.DEFAULTS), "reference.age[0]");
        Map<String, ColumnValues> nul = new LinkedHashMap<>(cur);
        nul.put("state", ColumnValues.of(Arrays.asList("KS", null)));
        assertBadInput(() -> DataDrift.compute(ref, nul, DriftOptions.DEFAULTS), "current.state[1]");

        // numbers on one side, categories on the other
        Map<String, ColumnValues> mixed = new LinkedHashMap<>(cur);
        mixed.put("age", ColumnValues.of(List.of("1", "2")));
        assertBadInput(() -> DataDrift.compute(ref, mixed, DriftOptions.DEFAULTS), "current.age");

        // thresholds out of range, for p-values and for distances
        assertBadInput(() -> DataDrift.compute(ref, cur, DriftOptions.DEFAULTS.with("age", ColumnOptions.threshold(1.5))),
                "options.columns.age.threshold");
        assertBadInput(() -> DataDrift.compute(ref, cur, DriftOptions.DEFAULTS.with("age", ColumnOptions.threshold(0))),
                "options.columns.age.threshold");
        assertBadInput(() -> DataDrift.compute(ref, cur,
                DriftOptions.DEFAULTS.with("age", ColumnOptions.test(StatTest.WASSERSTEIN, -0.1))), "options.columns.age.threshold");
        assertBadInput(() -> DataDrift.compute(ref, cur,
                DriftOptions.DEFAULTS.with("state", ColumnOptions.test(StatTest.PSI, Double.NaN))), "options.columns.state.threshold");
        assertThat(DataDrift.compute(ref, cur, DriftOptions.DEFAULTS.with("age", ColumnOptions.test(StatTest.PSI, 2.5)))
                .column("age").threshold()).isEqualTo(2.5);

        // tests that do not apply, types that cannot be, columns that do not exist, shares out of range
        assertBadInput(() -> DataDrift.compute(ref, cur,
                DriftOptions.DEFAULTS.with("state", ColumnOptions.test(StatTest.WASSERSTEIN))), "options.columns.state.test");
        assertBadInput(() -> DataDrift.compute(ref, cur,
                DriftOptions.DEFAULTS.with("state", ColumnOptions.type(ColumnType.NUMERICAL))), "options.columns.state.type");
        assertBadInput(() -> DataDrift.compute(ref, cur,
                DriftOptions.DEFAULTS.with("agee", ColumnOptions.threshold(0.1))), "options.columns.agee");
        assertBadInput(() -> DriftOptions.withDriftShare(0), "options.drift_share");
        assertBadInput(() -> DriftOptions.withDriftShare(1.01), "options.drift_share");
        assertBadInput(() -> DriftOptions.withDriftShare(Double.NaN), "options.drift_share");
        assertThat(DriftOptions.withDriftShare(1).driftShare()).isEqualTo(1);
    }

    @Test
    void theErrorIsTheFirstBadColumnsWhateverOrderTheColumnsAreComputedIn() {
        // many columns, so that they are computed side by side; x3 (NaN), x5 (missing), x9 (infinite) are bad
        for (int round = 0; round < 20; round++) {
            SplittableRandom rnd = new SplittableRandom(round);
            Map<String, ColumnValues> reference = new LinkedHashMap<>();
            Map<String, ColumnValues> current = new LinkedHashMap<>();
            for (int c = 0; c < 12; c++) {
                double[] ref = normal(rnd, 3000, 0);
                double[] cur = normal(rnd, c == 9 ? 30 : 20_000, 0);
                if (c == 3) {
                    cur[17] = Double.NaN;
                }
                if (c == 9) {
                    cur[2] = Double.POSITIVE_INFINITY;
                }
                reference.put("x" + c, ColumnValues.of(ref));
                if (c != 5) {
                    current.put("x" + c, ColumnValues.of(cur));
                }
            }
            assertBadInput(() -> DataDrift.compute(reference, current, DriftOptions.DEFAULTS), "current.x3[17]");
            current.put("x3", ColumnValues.of(normal(rnd, 100, 0)));
            assertBadInput(() -> DataDrift.compute(reference, current, DriftOptions.DEFAULTS), "current.x5");
        }
    }

    @Test
    void columnsOnlyInTheCurrentSampleAreIgnored() {
        Map<String, ColumnValues> ref = Map.of("a", ColumnValues.of(1, 2, 3));
        Map<String, ColumnValues> cur = Map.of("a", ColumnValues.of(1, 2, 3), "extra", ColumnValues.of(9));
        DataDriftResult r = DataDrift.compute(ref, cur, DriftOptions.DEFAULTS);
        assertThat(r.columns()).extracting(ColumnDrift::name).containsExactly("a");
        assertThat(r.column("a").pValue()).isEqualTo(1.0);
    }

    @Test
    void aConstantColumnIsNoDrift() {
        List<String> same = new ArrayList<>(List.of("x", "x", "x"));
        ColumnDrift z = DataDrift.column("c", ColumnValues.of(same), ColumnValues.of(List.of("x")), ColumnOptions.DEFAULTS);
        assertThat(z.test()).isEqualTo(StatTest.Z);
        assertThat(z.pValue()).isEqualTo(1.0);
        assertThat(z.drifted()).isFalse();
        // SciPy's chi-square p-value is NaN with one category; here both samples agree, so 1
        ColumnDrift chi = DataDrift.column("c", ColumnValues.of(same), ColumnValues.of(List.of("x")),
                ColumnOptions.test(StatTest.CHI_SQUARE));
        assertThat(chi.statistic()).isEqualTo(0.0);
        assertThat(chi.pValue()).isEqualTo(1.0);
        assertThat(chi.drifted()).isFalse();
        // the std floor of 0.001 keeps the normed Wasserstein distance finite
        WassersteinDistance w = WassersteinDistance.test(new double[] {5, 5, 5}, new double[] {5, 5.001});
        assertThat(w.referenceStd()).isEqualTo(0.0);
        assertThat(w.normed()).isCloseTo(0.5, org.assertj.core.api.Assertions.within(1e-9));
    }
}
