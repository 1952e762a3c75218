package dev.quiver.drift;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** A column compared on fewer rows than its test needs says so beside the (unchanged) statistic. */
class SampleSizeTest {

    private static List<String> categories(int... counts) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < counts.length; k++) {
            out.addAll(Collections.nCopies(counts[k], "c" + k));
        }
        return out;
    }

    private static ColumnDrift one(ColumnValues reference, ColumnValues current, ColumnOptions options) {
        return DataDrift.column("x", reference, current, options);
    }

    @Test
    void chiSquareOnAFewRowsNamesTheCategoriesThatExpectTooFew() {
        ColumnValues reference = ColumnValues.of(categories(300, 300, 200, 150, 50));
        ColumnDrift small = one(reference, ColumnValues.of(categories(8, 6, 4, 2, 0)), ColumnOptions.DEFAULTS);
        assertThat(small.test()).isEqualTo(StatTest.CHI_SQUARE);
        // 20 rows: expected 6, 6, 4, 3, 1
        assertThat(small.note()).startsWith("3 of 5 categories expect fewer than 5 of the 20 current rows (least 1.00)");
        ColumnDrift enough = one(reference, ColumnValues.of(categories(60, 60, 40, 30, 10)), ColumnOptions.DEFAULTS);
        assertThat(enough.note()).isNull();
        // the statistic is SciPy's either way: the note never changes it
        assertThat(small.pValue()).isEqualTo(ChiSquare.test(CategoryCounts.of(reference,
                ColumnValues.of(categories(8, 6, 4, 2, 0)))).pValue());
    }

    @Test
    void theZTestNeedsFiveExpectedRowsOfTheRarerValue() {
        ColumnValues reference = ColumnValues.of(categories(950, 50));
        ColumnDrift small = one(reference, ColumnValues.of(categories(38, 2)), ColumnOptions.DEFAULTS);
        assertThat(small.test()).isEqualTo(StatTest.Z);
        assertThat(small.note()).contains("the smaller sample (40 rows) expects 2.00 of the rarer value");
        assertThat(one(reference, ColumnValues.of(categories(190, 10)), ColumnOptions.DEFAULTS).note()).isNull();
    }

    @Test
    void aBinnedDistanceNeedsFiveRowsABin() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] ref = DataDriftTest.normal(rnd, 5_000, 0);
        ColumnDrift small = one(ColumnValues.of(ref), ColumnValues.of(DataDriftTest.normal(rnd, 30, 0)),
                ColumnOptions.test(StatTest.JENSEN_SHANNON));
        assertThat(small.note()).startsWith("jensenshannon over ").contains("from 30 current rows");
        ColumnDrift enough = one(ColumnValues.of(ref), ColumnValues.of(DataDriftTest.normal(rnd, 2_000, 0)),
                ColumnOptions.test(StatTest.JENSEN_SHANNON));
        assertThat(enough.note()).isNull();
        // KS and Wasserstein have no such rule
        assertThat(one(ColumnValues.of(ref), ColumnValues.of(DataDriftTest.normal(rnd, 30, 0)), ColumnOptions.DEFAULTS)
                .note()).isNull();
        Map<String, ColumnValues> r = new LinkedHashMap<>(Map.of("x", ColumnValues.of(ref)));
        assertThat(DataDrift.compute(r, Map.of("x", ColumnValues.of(new double[] {0.1, 0.2})), DriftOptions.DEFAULTS)
                .columns().get(0).note()).isNull();
    }
}
