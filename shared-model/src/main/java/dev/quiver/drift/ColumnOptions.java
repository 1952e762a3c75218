package dev.quiver.drift;

/**
 * What a column overrides of the defaults; each part may be null (keep the default). The typed form of a column's
 * entry in {@code config/drift.yaml}.
 *
 * @param type      read the column as this type, such as numbers that are codes ({@link ColumnType#CATEGORICAL});
 *                  categories cannot be read as numbers
 * @param test      the test to run instead of the default one
 * @param threshold the threshold instead of the test's default: a p-value in (0, 1) or a positive distance
 */
public record ColumnOptions(ColumnType type, StatTest test, Double threshold) {

    /** No overrides. */
    public static final ColumnOptions DEFAULTS = new ColumnOptions(null, null, null);

    public static ColumnOptions test(StatTest test) {
        return new ColumnOptions(null, test, null);
    }

    public static ColumnOptions test(StatTest test, double threshold) {
        return new ColumnOptions(null, test, threshold);
    }

    public static ColumnOptions threshold(double threshold) {
        return new ColumnOptions(null, null, threshold);
    }

    public static ColumnOptions type(ColumnType type) {
        return new ColumnOptions(type, null, null);
    }
}
