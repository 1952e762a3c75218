package dev.quiver.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How often each category occurs in the reference and in the current sample, over every category seen in either
 * (Evidently's {@code get_unique_not_nan_values_list_from_series} with {@code value_counts}); categories are in
 * their natural order (strings, or numbers).
 *
 * @param categories    the categories, sorted
 * @param reference     the count of each in the reference
 * @param current       the count of each in the current sample
 * @param referenceSize rows of the reference
 * @param currentSize   rows of the current sample
 */
public record CategoryCounts(List<Object> categories, long[] reference, long[] current, int referenceSize,
                             int currentSize) {

    /** Counts two non-empty samples of the same kind of keys. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static CategoryCounts of(ColumnValues reference, ColumnValues current) {
        Map<Object, long[]> counts = new TreeMap<>();
        for (Object key : reference.keys()) {
            counts.computeIfAbsent(key, k -> new long[2])[0]++;
        }
        for (Object key : current.keys()) {
            counts.computeIfAbsent(key, k -> new long[2])[1]++;
        }
        return of(counts, reference.size(), current.size());
    }

    /**
     * The counts of a map from each category, in the map's order, to its {@code [reference, current]} counts.
     */
    public static CategoryCounts of(Map<?, long[]> counts, int referenceSize, int currentSize) {
        List<Object> categories = new ArrayList<>(counts.keySet());
        long[] ref = new long[categories.size()];
        long[] cur = new long[categories.size()];
        int i = 0;
        for (long[] c : counts.values()) {
            ref[i] = c[0];
            cur[i] = c[1];
            i++;
        }
        return new CategoryCounts(List.copyOf(categories), ref, cur, referenceSize, currentSize);
    }

    /**
     * A column's verdict by chi-square or the z-test on these counts, with the {@link SampleSize} note when they
     * are too few for the test's approximation.
     */
    ColumnDrift verdict(String name, ColumnType type, StatTest test, double threshold) {
        double statistic;
        double pValue;
        if (test == StatTest.CHI_SQUARE) {
            ChiSquare chi = ChiSquare.test(this);
            statistic = chi.statistic();
            pValue = chi.pValue();
        } else if (test == StatTest.Z) {
            ProportionsZTest z = ProportionsZTest.test(this);
            statistic = z.z();
            pValue = z.pValue();
        } else {
            throw new IllegalArgumentException(test + " is not a test on counts");
        }
        return new ColumnDrift(name, type, test, statistic, pValue, threshold,
                test.drifted(statistic, pValue, threshold), SampleSize.note(test, this));
    }

    /** Number of categories seen in either sample. */
    public int size() {
        return categories.size();
    }
}
