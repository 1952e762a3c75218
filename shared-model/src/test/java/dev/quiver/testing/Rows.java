package dev.quiver.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows of named features, as a client sends them. Values may be null, rows may be null. */
public final class Rows {

    private Rows() {
    }

    /** One row from alternating names and values: {@code row("n0", 1.5, "plan", "pro")}. */
    public static Map<String, Object> row(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    /** A row for {@link Descriptors#twoNumbersAndPlan()}. */
    public static Map<String, Object> plan(Object n0, Object n1, Object plan) {
        return row("n0", n0, "n1", n1, "plan", plan);
    }

    /** One row per value, each with the single feature {@code n0}, for {@code Descriptors.numbers(1)}. */
    public static List<Map<String, Object>> n0(double... values) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (double v : values) {
            rows.add(row("n0", v));
        }
        return rows;
    }

    @SafeVarargs
    public static List<Map<String, Object>> of(Map<String, Object>... rows) {
        return Arrays.asList(rows);
    }
}
