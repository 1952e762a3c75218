package dev.quiver.drift;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The values of one column in one sample (reference or current): numbers or categories.
 *
 * <p>Values are checked when a drift is computed, not here, so that the error can name the sample and the row.
 */
public sealed interface ColumnValues permits ColumnValues.Numbers, ColumnValues.Categories {

    /** Numeric values; a numerical column, or a categorical one whose categories are numbers. */
    static Numbers of(double... values) {
        return new Numbers(values);
    }

    /** Categories, such as US state codes or "yes" and "no". */
    static Categories of(List<String> values) {
        return new Categories(values);
    }

    /** Number of rows. */
    int size();

    /** Every value (not only the distinct ones) as a key a categorical test can count: {@code Double}, with -0.0 read as 0.0, or {@code String}. */
    List<? extends Comparable<?>> keys();

    /** How many distinct values there are. */
    default int distinct() {
        Set<Object> seen = new HashSet<>(keys());
        return seen.size();
    }

    /** Numbers; the array is not copied. */
    record Numbers(double[] values) implements ColumnValues {

        public Numbers {
            if (values == null) {
                throw new NullPointerException("values");
            }
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public List<Double> keys() {
            return Arrays.stream(values).map(v -> v == 0.0 ? 0.0 : v).boxed().toList();
        }

        @Override
        public int distinct() {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int distinct = 0;
            for (int i = 0; i < sorted.length; i++) {
                // == treats -0.0 and 0.0 as one value, as pandas' nunique does
                if (i == 0 || sorted[i] != sorted[i - 1]) {
                    distinct++;
                }
            }
            return distinct;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Numbers n && Arrays.equals(values, n.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Numbers[" + values.length + " values]";
        }
    }

    /** Categories; the list is not copied. */
    record Categories(List<String> values) implements ColumnValues {

        public Categories {
            if (values == null) {
                throw new NullPointerException("values");
            }
        }

        @Override
        public int size() {
            return values.size();
        }

        @Override
        public List<String> keys() {
            return values;
        }
    }
}
