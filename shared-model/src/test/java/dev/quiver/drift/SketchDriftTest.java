package dev.quiver.drift;

import dev.quiver.drift.capture.Profile;
import dev.quiver.inference.FeatureEncoder;
import dev.quiver.model.InputField;
import dev.quiver.json.Json;
import dev.quiver.model.ModelDescriptor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Sketch mode against exact mode on the same rows of the real churn data: profiles built from the rows as the
 * predict function captures them, compared by {@link SketchDrift}; the raw rows compared by {@link DataDrift}.
 * Categorical columns must agree exactly; numerical ones within the reported error bound, and in practice much
 * closer.
 */
class SketchDriftTest {

    static Map<String, List<String>> churn;
    static List<InputField> fields;

    @BeforeAll
    static void load() throws Exception {
        churn = DriftGoldenTest.readCsv(DriftGoldenTest.repositoryFile("platform/tools/train/data/mlc_churn.csv"));
        fields = Json.MAPPER.readValue(DriftGoldenTest.repositoryFile("config/models/churn/1/descriptor.json").toFile(),
                ModelDescriptor.class).inputs();
    }

    /** Rows {@code from} to {@code to} (exclusive) as the profile and as raw columns, with {@code shift} applied to numbers. */
    private static Object[] sample(int from, int to, Map<String, Double> shift) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, ColumnValues> columns = new LinkedHashMap<>();
        for (InputField f : fields) {
            List<String> raw = churn.get(f.name()).subList(from, to);
            if (f.type() == InputField.Type.CATEGORY) {
                columns.put(f.name(), ColumnValues.of(raw));
            } else {
                double s = shift.getOrDefault(f.name(), 0.0);
                columns.put(f.name(), ColumnValues.of(raw.stream().mapToDouble(v -> Double.parseDouble(v) + s).toArray()));
            }
        }
        for (int r = 0; r < to - from; r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (InputField f : fields) {
                ColumnValues c = columns.get(f.name());
                row.put(f.name(), c instanceof ColumnValues.Numbers n ? (Object) n.values()[r]
                        : ((ColumnValues.Categories) c).values().get(r));
            }
            rows.add(row);
        }
        double[] encoded = new FeatureEncoder(fields).encodeDouble(rows);
        double[] probabilities = new double[rows.size() * 2];
        java.util.Arrays.fill(probabilities, 0.5);
        Profile.Saved profile = Profile.reference("churn", fields, List.of("no", "yes"), encoded, rows.size(),
                probabilities, Instant.EPOCH);
        return new Object[] {profile, columns};
    }

    @SuppressWarnings("unchecked")
    private static void compare(Object[] ref, Object[] cur, IntFunction<String> note) {
        DataDriftResult exact = DataDrift.compute((Map<String, ColumnValues>) ref[1], (Map<String, ColumnValues>) cur[1],
                DriftOptions.DEFAULTS);
        SketchDrift.Result sketch = SketchDrift.compute((Profile.Saved) ref[0], (Profile.Saved) cur[0], DriftOptions.DEFAULTS);
        assertThat(sketch.drift().columns()).hasSize(exact.columns().size());
        for (ColumnDrift e : exact.columns()) {
            ColumnDrift s = sketch.drift().column(e.name());
            double bound = sketch.errorBounds().get(e.name());
            assertThat(s.test()).as(e.name()).isEqualTo(e.test());
            if (e.type() == ColumnType.CATEGORICAL) {
                assertThat(s.statistic()).as(e.name()).isCloseTo(e.statistic(), within(1e-12));
                if (e.pValue() != null) {
                    assertThat(s.pValue()).as(e.name()).isCloseTo(e.pValue(), within(1e-12));
                }
                assertThat(s.drifted()).as(e.name()).isEqualTo(e.drifted());
            } else {
                assertThat(Math.abs(s.statistic() - e.statistic())).as(e.name() + " within its bound").isLessThanOrEqualTo(bound);
                // the bound is a worst case (about 0.15 to 0.3 for these columns); on real data the sketch is much
                // closer. KLL compacts at random, so the error varies from run to run: up to 0.02 seen here, asserted
                // at 0.04 (or 5% of a large, shifted distance)
                assertThat(Math.abs(s.statistic() - e.statistic())).as(e.name() + " " + note.apply(0))
                        .isLessThan(Math.max(0.04, 0.05 * e.statistic()));
                if (Math.abs(e.statistic() - e.threshold()) > bound) {
                    assertThat(s.drifted()).as(e.name()).isEqualTo(e.drifted());
                }
            }
        }
        assertThat(sketch.drift().datasetDrift()).isEqualTo(exact.datasetDrift());
    }

    @Test
    void aLargeReferenceAgreesWithExactModeOnWassersteinJensenShannonAndZ() {
        compare(sample(0, 2500, Map.of()), sample(2500, 5000, Map.of()), i -> "first vs last 2,500 rows");
    }

    @Test
    void shiftedNumbersDriftInBothModes() {
        Map<String, Double> shift = Map.of("total_day_minutes", 40.0, "total_eve_minutes", 30.0,
                "account_length", 25.0);
        Object[] ref = sample(0, 2500, Map.of());
        Object[] cur = sample(2500, 5000, shift);
        compare(ref, cur, i -> "shifted");
        SketchDrift.Result s = SketchDrift.compute((Profile.Saved) ref[0], (Profile.Saved) cur[0], DriftOptions.DEFAULTS);
        assertThat(s.drift().column("total_day_minutes").drifted()).isTrue();
        assertThat(s.drift().column("total_day_minutes").test()).isEqualTo(StatTest.WASSERSTEIN);
    }

    @Test
    void aSmallReferenceTakesKsAndChiSquare() {
        Object[] ref = sample(0, 800, Map.of());
        Object[] cur = sample(800, 1600, Map.of("total_day_minutes", 40.0));
        compare(ref, cur, i -> "800 rows each");
        SketchDrift.Result s = SketchDrift.compute((Profile.Saved) ref[0], (Profile.Saved) cur[0], DriftOptions.DEFAULTS);
        assertThat(s.drift().column("total_day_minutes").test()).isEqualTo(StatTest.KS);
        assertThat(s.drift().column("total_day_minutes").drifted()).isTrue();
        assertThat(s.drift().column("state").test()).isEqualTo(StatTest.CHI_SQUARE);
    }

    @Test
    void aWindowOfAnotherModelIsRefused() {
        Profile.Saved ref = (Profile.Saved) sample(0, 100, Map.of())[0];
        Profile.Saved other = new Profile.Saved("churn", "2", Instant.EPOCH, 10, ref.labels(), ref.labelCounts(),
                Map.of(), Map.of(), Map.of(), Map.of(), ref.score(), ref.scoreHistogram());
        dev.quiver.testing.Problems.expect(dev.quiver.error.QuiverException.Kind.BAD_INPUT, "current",
                () -> SketchDrift.compute(ref, other, DriftOptions.DEFAULTS));
    }
}
