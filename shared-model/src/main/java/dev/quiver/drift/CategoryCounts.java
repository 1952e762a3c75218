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
        List<Object> categories = new ArrayList<>(counts.keySet());
        long[] ref = new long[categories.size()];
        long[] cur = new long[categories.size()];
        int i = 0;
        for (long[] c : counts.values()) {
            ref[i] = c[0];
            cur[i] = c[1];
            i++;
        }
        return new CategoryCounts(List.copyOf(categories), ref, cur, reference.size(), current.size());
    }

    /** Number of categories seen in either sample. */
    public int size() {
        return categories.size();
    }
}
