package dev.quiver.prediction.acceptance;

import dev.quiver.drift.capture.Profile;
import dev.quiver.model.InputField;
import org.apache.datasketches.kll.KllDoublesSketch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The rows the acceptance benchmark sends: like the model's training data when a reference profile sketches it,
 * typed placeholders otherwise. Either way every row is one the model takes (each input present, numbers as
 * numbers, categories among the declared ones), so that the benchmark measures scoring, not refusals.
 */
public final class BenchmarkRows {

    /** How many rows a benchmark cycles through by default. */
    public static final int DEFAULT_ROWS = 256;

    private BenchmarkRows() {
    }

    /**
     * {@code n} rows drawn at random (seeded, so reproducible) from a reference profile: each number from its KLL
     * sketch's quantiles, each category with its counted frequency. An input the profile does not sketch, or a
     * category it never counted, gets the typed default of {@link #typedDefaults}.
     */
    public static List<Map<String, Object>> fromProfile(Profile.Saved profile, List<InputField> inputs, int n,
                                                        long seed) {
        checkCount(n);
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, KllDoublesSketch> numbers = new LinkedHashMap<>();
        for (InputField f : inputs) {
            if (f.type() == InputField.Type.NUMBER && profile.numeric() != null
                    && profile.numeric().containsKey(f.name())) {
                KllDoublesSketch k = Profile.numeric(profile, f.name());
                if (!k.isEmpty()) {
                    numbers.put(f.name(), k);
                }
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (InputField f : inputs) {
                if (f.type() == InputField.Type.NUMBER) {
                    KllDoublesSketch k = numbers.get(f.name());
                    row.put(f.name(), k == null ? 0.0 : k.getQuantile(random.nextDouble()));
                } else {
                    row.put(f.name(), category(profile, f, random));
                }
            }
            rows.add(row);
        }
        return List.copyOf(rows);
    }

    /**
     * One row of typed placeholders: 0.0 for a number (or its declared default), the first declared category (or
     * its declared default) for a category.
     */
    public static List<Map<String, Object>> typedDefaults(List<InputField> inputs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (InputField f : inputs) {
            row.put(f.name(), placeholder(f));
        }
        return List.of(row);
    }

    private static Object placeholder(InputField f) {
        if (f.type() == InputField.Type.NUMBER) {
            return f.defaultValue() instanceof Number d ? d.doubleValue() : 0.0;
        }
        return f.defaultValue() instanceof String s && f.categories().contains(s) ? s : f.categories().get(0);
    }

    private static Object category(Profile.Saved profile, InputField f, SplittableRandom random) {
        List<String> names = profile.categoryNames() == null ? null : profile.categoryNames().get(f.name());
        long[] counts = profile.categories() == null ? null : profile.categories().get(f.name());
        if (names == null || counts == null || names.size() != counts.length) {
            return placeholder(f);
        }
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total <= 0) {
            return placeholder(f);
        }
        long pick = random.nextLong(total);
        for (int i = 0; i < counts.length; i++) {
            pick -= counts[i];
            if (pick < 0) {
                return f.categories().contains(names.get(i)) ? names.get(i) : placeholder(f);
            }
        }
        return placeholder(f);
    }

    private static void checkCount(int n) {
        if (n < 1 || n > 1_000_000) {
            throw new IllegalArgumentException("the benchmark needs 1 to 1,000,000 rows, not " + n);
        }
    }
}
