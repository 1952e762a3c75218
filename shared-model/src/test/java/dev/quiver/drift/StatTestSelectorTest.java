package dev.quiver.drift;

import dev.quiver.error.QuiverException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatTestSelectorTest {

    /** {@code rows} numbers cycling through {@code distinct} values. */
    static ColumnValues numbers(int rows, int distinct) {
        double[] v = new double[rows];
        for (int i = 0; i < rows; i++) {
            v[i] = i % distinct;
        }
        return ColumnValues.of(v);
    }

    static ColumnValues categories(int rows, int distinct) {
        List<String> v = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            v.add("c" + (i % distinct));
        }
        return ColumnValues.of(v);
    }

    static StatTest defaults(ColumnType type, ColumnValues reference, ColumnValues current) {
        return StatTestSelector.defaultTest(type, reference, current);
    }

    @Test
    void smallReferencesGetTestsWithPValues() {
        assertThat(defaults(ColumnType.NUMERICAL, numbers(1000, 6), numbers(50, 6))).isEqualTo(StatTest.KS);
        assertThat(defaults(ColumnType.NUMERICAL, numbers(1000, 5), numbers(50, 5))).isEqualTo(StatTest.CHI_SQUARE);
        assertThat(defaults(ColumnType.NUMERICAL, numbers(1000, 3), numbers(50, 3))).isEqualTo(StatTest.CHI_SQUARE);
        assertThat(defaults(ColumnType.NUMERICAL, numbers(1000, 2), numbers(50, 2))).isEqualTo(StatTest.Z);
        assertThat(defaults(ColumnType.CATEGORICAL, categories(1000, 40), categories(50, 40))).isEqualTo(StatTest.CHI_SQUARE);
        assertThat(defaults(ColumnType.CATEGORICAL, categories(1000, 3), categories(50, 3))).isEqualTo(StatTest.CHI_SQUARE);
        assertThat(defaults(ColumnType.CATEGORICAL, categories(1000, 2), categories(50, 2))).isEqualTo(StatTest.Z);
        assertThat(defaults(ColumnType.CATEGORICAL, categories(10, 1), categories(10, 1))).isEqualTo(StatTest.Z);
    }

    @Test
    void largeReferencesGetDistances() {
        assertThat(defaults(ColumnType.NUMERICAL, numbers(1001, 6), numbers(50, 6))).isEqualTo(StatTest.WASSERSTEIN);
        assertThat(defaults(ColumnType.NUMERICAL, numbers(1001, 5), numbers(50, 5))).isEqualTo(StatTest.JENSEN_SHANNON);
        assertThat(defaults(ColumnType.CATEGORICAL, categories(1001, 2), categories(50, 2))).isEqualTo(StatTest.JENSEN_SHANNON);
        assertThat(defaults(ColumnType.CATEGORICAL, categories(5000, 51), categories(5, 5))).isEqualTo(StatTest.JENSEN_SHANNON);
    }

    @Test
    void distinctValuesAreCountedOverBothSamples() {
        // five values in the reference, a sixth only in the current sample: KS, not chi-square
        double[] current = {0, 1, 2, 3, 4, 5};
        assertThat(defaults(ColumnType.NUMERICAL, numbers(100, 5), ColumnValues.of(current))).isEqualTo(StatTest.KS);
        // two categories in the reference and a third in the current: chi-square, not z
        assertThat(defaults(ColumnType.CATEGORICAL, categories(100, 2), ColumnValues.of(List.of("c0", "new"))))
                .isEqualTo(StatTest.CHI_SQUARE);
        // 0.0 and -0.0 are one value
        assertThat(defaults(ColumnType.NUMERICAL, ColumnValues.of(0.0, 1.0), ColumnValues.of(-0.0, 1.0, 2.0)))
                .isEqualTo(StatTest.CHI_SQUARE);
    }

    @Test
    void numbersDeclaredCategoricalAreTestedAsCategories() {
        assertThat(defaults(ColumnType.CATEGORICAL, numbers(1000, 40), numbers(50, 40))).isEqualTo(StatTest.CHI_SQUARE);
        assertThat(defaults(ColumnType.CATEGORICAL, numbers(2000, 40), numbers(50, 40))).isEqualTo(StatTest.JENSEN_SHANNON);
    }

    @Test
    void aNamedTestReplacesTheDefaultWhereItApplies() {
        ColumnValues ref = numbers(2000, 100);
        ColumnValues cur = numbers(100, 100);
        assertThat(StatTestSelector.choose(ColumnType.NUMERICAL, ref, cur, ColumnOptions.test(StatTest.PSI), "f"))
                .isEqualTo(StatTest.PSI);
        assertThat(StatTestSelector.choose(ColumnType.NUMERICAL, ref, cur, ColumnOptions.DEFAULTS, "f"))
                .isEqualTo(StatTest.WASSERSTEIN);
        assertThatThrownBy(() -> StatTestSelector.choose(ColumnType.CATEGORICAL, categories(10, 3), categories(10, 3),
                ColumnOptions.test(StatTest.KS), "options.columns.state.test"))
                .isInstanceOfSatisfying(QuiverException.class, e -> {
                    assertThat(e.kind()).isEqualTo(QuiverException.Kind.BAD_INPUT);
                    assertThat(e.field()).isEqualTo("options.columns.state.test");
                });
    }

    @Test
    void testsAreFoundByTheirEvidentlyNames() {
        assertThat(StatTest.named("jensenshannon", "f")).isEqualTo(StatTest.JENSEN_SHANNON);
        assertThat(StatTest.named("ChiSquare", "f")).isEqualTo(StatTest.CHI_SQUARE);
        assertThat(StatTest.named("chi_square", "f")).isEqualTo(StatTest.CHI_SQUARE);
        assertThatThrownBy(() -> StatTest.named("anderson", "options.columns.x.test"))
                .isInstanceOfSatisfying(QuiverException.class, e -> assertThat(e.field()).isEqualTo("options.columns.x.test"));
    }

    @Test
    void verdictsFollowEvidentlysDirections() {
        assertThat(StatTest.KS.drifted(0.3, 0.05, 0.05)).isTrue();
        assertThat(StatTest.CHI_SQUARE.drifted(3.0, 0.05, 0.05)).isFalse();
        assertThat(StatTest.CHI_SQUARE.drifted(3.0, 0.0499, 0.05)).isTrue();
        assertThat(StatTest.Z.drifted(2.0, 0.05, 0.05)).isFalse();
        assertThat(StatTest.WASSERSTEIN.drifted(0.1, null, 0.1)).isTrue();
        assertThat(StatTest.JENSEN_SHANNON.drifted(0.0999, null, 0.1)).isFalse();
        assertThat(StatTest.PSI.drifted(0.1, null, 0.1)).isTrue();
        assertThat(StatTest.KS.defaultThreshold()).isEqualTo(0.05);
        assertThat(StatTest.CHI_SQUARE.defaultThreshold()).isEqualTo(0.05);
        assertThat(StatTest.Z.defaultThreshold()).isEqualTo(0.05);
        assertThat(StatTest.WASSERSTEIN.defaultThreshold()).isEqualTo(0.1);
        assertThat(StatTest.JENSEN_SHANNON.defaultThreshold()).isEqualTo(0.1);
        assertThat(StatTest.PSI.defaultThreshold()).isEqualTo(0.1);
    }
}
