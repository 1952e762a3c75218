package dev.quiver.prediction.acceptance;

import dev.quiver.drift.capture.Profile;
import dev.quiver.model.InputField;
import dev.quiver.testing.Descriptors;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class BenchmarkRowsTest {

    private static final List<InputField> FIELDS = Descriptors.twoNumbersAndPlan();

    /** A reference profile of 100 rows: n0 from 0 to 99, n1 always 7, plan "pro" 3 times in 4, "team" otherwise. */
    private static Profile.Saved profile() {
        int rows = 100;
        double[] encoded = new double[rows * 5];
        double[] p = new double[rows * 2];
        for (int r = 0; r < rows; r++) {
            encoded[r * 5] = r;
            encoded[r * 5 + 1] = 7;
            encoded[r * 5 + (r % 4 == 0 ? 4 : 3)] = 1;
            p[r * 2] = 0.5;
            p[r * 2 + 1] = 0.5;
        }
        return Profile.reference("m", FIELDS, Descriptors.LABELS, encoded, rows, p, Instant.EPOCH);
    }

    @Test
    void rowsFromAProfileFollowItsDistributions() {
        List<Map<String, Object>> rows = BenchmarkRows.fromProfile(profile(), FIELDS, 2000, 42);

        assertThat(rows).hasSize(2000).allSatisfy(r -> assertThat(r).containsOnlyKeys("n0", "n1", "plan"));
        assertThat(rows).allSatisfy(r -> assertThat((double) r.get("n0")).isBetween(0.0, 99.0));
        assertThat(rows).allSatisfy(r -> assertThat(r.get("n1")).isEqualTo(7.0));
        Map<Object, Long> plans = rows.stream().collect(Collectors.groupingBy(r -> r.get("plan"), Collectors.counting()));
        assertThat(plans.keySet()).isEqualTo(Set.of("pro", "team"));
        assertThat(plans.get("pro") / 2000.0).isBetween(0.7, 0.8);
        assertThat(rows.stream().mapToDouble(r -> (double) r.get("n0")).average().orElseThrow()).isBetween(44.0, 55.0);
    }

    @Test
    void theSameSeedDrawsTheSameRows() {
        assertThat(BenchmarkRows.fromProfile(profile(), FIELDS, 50, 7))
                .isEqualTo(BenchmarkRows.fromProfile(profile(), FIELDS, 50, 7));
    }

    @Test
    void anInputTheProfileLacksGetsItsTypedDefault() {
        List<InputField> more = new java.util.ArrayList<>(FIELDS);
        more.add(InputField.number("extra"));
        more.add(InputField.category("tier", List.of("gold", "silver")));

        List<Map<String, Object>> rows = BenchmarkRows.fromProfile(profile(), more, 10, 1);

        assertThat(rows).allSatisfy(r -> assertThat(r).containsEntry("extra", 0.0).containsEntry("tier", "gold"));
    }

    @Test
    void typedDefaultsAreOneRowTheModelTakes() {
        List<InputField> fields = List.of(InputField.number("a"), InputField.number("b").withDefault(3),
                InputField.category("plan", List.of("basic", "pro")),
                InputField.category("tier", List.of("gold", "silver")).withDefault("silver"));

        assertThat(BenchmarkRows.typedDefaults(fields)).containsExactly(
                Map.of("a", 0.0, "b", 3.0, "plan", "basic", "tier", "silver"));
    }
}
