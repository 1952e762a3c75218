package dev.quiver.inference;

import dev.quiver.testing.Descriptors;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static dev.quiver.error.QuiverException.Kind.BAD_INPUT;
import static dev.quiver.testing.Problems.expect;
import static dev.quiver.testing.Rows.of;
import static dev.quiver.testing.Rows.plan;
import static dev.quiver.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;

class FeatureEncoderTest {

    /** n0, n1, then plan one-hot over basic, pro, team: five slots per row. */
    private final FeatureEncoder encoder = new FeatureEncoder(Descriptors.twoNumbersAndPlan());

    @Test
    void numbersInPlaceAndCategoriesOneHotInDeclaredOrder() {
        assertThat(encoder.width()).isEqualTo(5);

        float[] out = encoder.encode(of(plan(1.5, -2, "team"), plan(0, 7L, "basic")));

        assertThat(out).containsExactly(
                1.5f, -2f, 0, 0, 1,
                0, 7f, 1, 0, 0);
    }

    @Test
    void theOrderOfKeysInARowDoesNotMatter() {
        float[] out = encoder.encode(of(row("plan", "pro", "n1", 4, "n0", new BigDecimal("2.5"))));

        assertThat(out).containsExactly(2.5f, 4f, 0, 1, 0);
    }

    @Test
    void keysEqualToTheFieldNamesButNotTheSameStringsAreFound() {
        // a row built from text (not interned) rather than read by a JSON parser or written as literals
        float[] out = encoder.encode(of(row(new String("n0"), 3, new String("n1"), 5, new String("plan"), "basic")));

        assertThat(out).containsExactly(3f, 5f, 1, 0, 0);
    }

    @Test
    void aRowWithSeveralProblemsNamesTheFirstInTheModelsOrderWhateverTheOrderOfItsKeys() {
        // keys in reverse order: an unknown feature, then a bad category, then a string where n0's number is due
        var e = expect(BAD_INPUT, "rows[0].n0",
                () -> encoder.encode(of(row("colour", "red", "plan", "gold", "n1", 2, "n0", "one"))));
        assertThat(e.reason()).isEqualTo("must be a number, not a string");

        var missing = expect(BAD_INPUT, "rows[0].n1",
                () -> encoder.encode(of(row("colour", "red", "plan", "gold", "n0", 1))));
        assertThat(missing.reason()).isEqualTo("missing feature");

        // every declared feature fine: only then is the unknown one named
        var unknown = expect(BAD_INPUT, "rows[0].colour",
                () -> encoder.encodeDouble(of(row("plan", "team", "colour", "red", "n1", 2, "n0", 1))));
        assertThat(unknown.reason()).contains("unknown feature");
    }

    @Test
    void encodeDoubleKeepsDoublePrecision() {
        double[] out = encoder.encodeDouble(of(plan(241.9, 0.1, "pro")));

        assertThat(out[0]).isEqualTo(241.9);
        assertThat(out[1]).isEqualTo(0.1);
        assertThat((double) encoder.encode(of(plan(241.9, 0.1, "pro")))[0]).isNotEqualTo(241.9);
    }

    @Test
    void missingFeatureNamesRowAndField() {
        var e = expect(BAD_INPUT, "rows[1].n1",
                () -> encoder.encode(of(plan(1, 2, "pro"), row("n0", 1, "plan", "pro"))));
        assertThat(e.reason()).isEqualTo("missing feature");
    }

    @Test
    void aBadRowCarriesItsIndexAndFeatureAsData() {
        var e = expect(BAD_INPUT, "rows[1].plan",
                () -> encoder.encode(of(plan(1, 2, "pro"), plan(1, 2, "gold"))));
        assertThat(e).isInstanceOf(BadRowException.class);
        BadRowException bad = (BadRowException) e;
        assertThat(bad.row()).isEqualTo(1);
        assertThat(bad.feature()).isEqualTo("plan");
        assertThat(bad.getMessage()).isEqualTo("rows[1].plan: " + bad.reason());

        var whole = (BadRowException) expect(BAD_INPUT, "rows[0]",
                () -> encoder.encode(java.util.Collections.singletonList(null)));
        assertThat(whole.row()).isZero();
        assertThat(whole.feature()).isNull();
        assertThat(whole.reason()).isEqualTo("must be an object of named features");
    }

    @Test
    void unknownFeatureIsRejectedAndTheKnownOnesListed() {
        var e = expect(BAD_INPUT, "rows[0].colour",
                () -> encoder.encode(of(row("n0", 1, "n1", 2, "plan", "pro", "colour", "red"))));
        assertThat(e.reason()).contains("unknown feature").contains("n0, n1, plan");
    }

    @Test
    void stringWhereANumberIsDue() {
        var e = expect(BAD_INPUT, "rows[0].n0", () -> encoder.encode(of(plan("12", 2, "pro"))));
        assertThat(e.reason()).isEqualTo("must be a number, not a string");
    }

    @Test
    void booleanWhereANumberIsDue() {
        var e = expect(BAD_INPUT, "rows[0].n1", () -> encoder.encode(of(plan(1, true, "pro"))));
        assertThat(e.reason()).isEqualTo("must be a number");
    }

    @Test
    void unknownCategoryNamesTheKnownOnes() {
        var e = expect(BAD_INPUT, "rows[0].plan", () -> encoder.encode(of(plan(1, 2, "gold"))));
        assertThat(e.reason()).contains("unknown category 'gold'").contains("basic, pro, team");
    }

    @Test
    void categoryMustBeAString() {
        var e = expect(BAD_INPUT, "rows[0].plan", () -> encoder.encode(of(plan(1, 2, 1))));
        assertThat(e.reason()).startsWith("must be a string");
    }

    @Test
    void nullValueIsNotAMissingFeature() {
        var e = expect(BAD_INPUT, "rows[0].n0", () -> encoder.encode(of(plan(null, 2, "pro"))));
        assertThat(e.reason()).isEqualTo("must not be null");
    }

    @Test
    void nanIsRejected() {
        var e = expect(BAD_INPUT, "rows[2].n1",
                () -> encoder.encode(of(plan(1, 2, "pro"), plan(1, 2, "pro"), plan(1, Double.NaN, "pro"))));
        assertThat(e.reason()).contains("finite");
    }

    /** A row as the JSON parser of a request gives it. */
    private static NamedRow named(Object... namesAndValues) {
        NamedRow.Builder b = new NamedRow.Builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            Object v = namesAndValues[i + 1];
            if (v instanceof Double d) {
                b.addDouble(name, d);
            } else if (v instanceof Integer n) {
                b.addInt(name, n);
            } else {
                b.add(name, v);
            }
        }
        return b.build();
    }

    @Test
    void parsedRowsEncodeAsMapsDoInEitherOrderAndPrecision() {
        var maps = of(row("n0", 1.5, "n1", -2, "plan", "team"), row("plan", "pro", "n1", 4, "n0", new BigDecimal("2.5")),
                row(new String("n0"), 3, new String("n1"), 7L, new String("plan"), "basic"));
        var parsed = of(named("n0", 1.5, "n1", -2, "plan", "team"), named("plan", "pro", "n1", 4, "n0", new BigDecimal("2.5")),
                named(new String("n0"), 3, new String("n1"), 7L, new String("plan"), "basic"));

        assertThat(encoder.encodeDouble(parsed)).containsExactly(encoder.encodeDouble(maps));
        assertThat(encoder.encode(parsed)).containsExactly(encoder.encode(maps));
        assertThat(encoder.encodeDouble(parsed)).containsExactly(1.5, -2, 0, 0, 1, 2.5, 4, 0, 1, 0, 3, 7, 1, 0, 0);
    }

    @Test
    void aParsedRowNamesItsFirstProblemInTheModelsOrderAsAMapDoes() {
        // every feature there, in reverse order: a bad category met first, a string where n0's number is due
        var e = expect(BAD_INPUT, "rows[0].n0", () -> encoder.encode(of(named("plan", "gold", "n1", 2, "n0", "one"))));
        assertThat(e.reason()).isEqualTo("must be a number, not a string");

        var nulled = expect(BAD_INPUT, "rows[0].n1", () -> encoder.encode(of(named("plan", "gold", "n1", null, "n0", 1))));
        assertThat(nulled.reason()).isEqualTo("must not be null");

        var nan = expect(BAD_INPUT, "rows[0].n0", () -> encoder.encode(of(named("n1", Double.NaN, "n0", Double.NaN, "plan", "pro"))));
        assertThat(nan.reason()).contains("finite");

        var unknown = expect(BAD_INPUT, "rows[0].n1",
                () -> encoder.encodeDouble(of(named("plan", "team", "colour", "red", "n0", 1))));
        assertThat(unknown.reason()).isEqualTo("missing feature");
    }

    @Test
    void infinityIsRejectedInBothPrecisions() {
        expect(BAD_INPUT, "rows[0].n0", () -> encoder.encode(of(plan(Double.POSITIVE_INFINITY, 2, "pro"))));
        expect(BAD_INPUT, "rows[0].n0", () -> encoder.encodeDouble(of(plan(Double.POSITIVE_INFINITY, 2, "pro"))));
    }

    @Test
    void aNumberBeyondTheFloatRangeIsRejectedForFloatInputsOnly() {
        expect(BAD_INPUT, "rows[0].n1", () -> encoder.encode(of(plan(1, 1e39, "pro"))));

        assertThat(encoder.encodeDouble(of(plan(1, 1e39, "pro")))[1]).isEqualTo(1e39);
    }

    @Test
    void nullRowNamesTheRow() {
        var e = expect(BAD_INPUT, "rows[1]", () -> encoder.encode(of(plan(1, 2, "pro"), null)));
        assertThat(e.reason()).contains("object");
    }
}
