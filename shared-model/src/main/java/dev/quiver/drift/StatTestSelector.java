package dev.quiver.drift;

import dev.quiver.error.QuiverException;

/**
 * Chooses a column's test as Evidently's {@code _get_default_stattest} does, unless the column's options name one.
 *
 * <p>With n the number of distinct values over both samples:
 * <ul>
 *   <li>reference of at most 1,000 rows: numerical with n &gt; 5 &rarr; {@link StatTest#KS}; otherwise (categorical,
 *       or numerical with n &le; 5) n &gt; 2 &rarr; {@link StatTest#CHI_SQUARE}, n &le; 2 &rarr; {@link StatTest#Z};</li>
 *   <li>reference of more than 1,000 rows: numerical with n &gt; 5 &rarr; {@link StatTest#WASSERSTEIN}; otherwise
 *       &rarr; {@link StatTest#JENSEN_SHANNON}.</li>
 * </ul>
 * The PSI is never a default; it, like any test, may be named per column.
 */
public final class StatTestSelector {

    /** Evidently's reference size up to which tests with p-values are the defaults. */
    public static final int SMALL_REFERENCE_ROWS = 1000;
    /** Evidently's number of distinct values up to which numbers are compared as categories. */
    public static final int FEW_VALUES = 5;

    private StatTestSelector() {
    }

    /** Evidently's default test for two non-empty samples of a column of this type. */
    public static StatTest defaultTest(ColumnType type, ColumnValues reference, ColumnValues current) {
        return defaultTest(type, reference.size(), distinctUpTo(FEW_VALUES + 1, reference, current));
    }

    /**
     * The distinct values of both samples together, counted up to {@code limit} (the rules only ask whether there
     * are more than 2 or more than 5): a million-row column is not boxed into a map to learn that it has six.
     */
    static int distinctUpTo(int limit, ColumnValues... samples) {
        java.util.Set<Object> seen = new java.util.HashSet<>();
        for (ColumnValues sample : samples) {
            if (sample instanceof ColumnValues.Numbers n) {
                for (double v : n.values()) {
                    if (seen.add(v == 0.0 ? 0.0 : v) && seen.size() >= limit) {
                        return limit;
                    }
                }
            } else {
                for (String v : ((ColumnValues.Categories) sample).values()) {
                    if (seen.add(v) && seen.size() >= limit) {
                        return limit;
                    }
                }
            }
        }
        return seen.size();
    }

    /**
     * The same from the reference's size and the number of distinct values in both samples together (sketch mode,
     * where the samples themselves are not at hand).
     */
    public static StatTest defaultTest(ColumnType type, long referenceRows, int distinct) {
        boolean numbers = type == ColumnType.NUMERICAL && distinct > FEW_VALUES;
        if (referenceRows <= SMALL_REFERENCE_ROWS) {
            if (numbers) {
                return StatTest.KS;
            }
            return distinct > 2 ? StatTest.CHI_SQUARE : StatTest.Z;
        }
        return numbers ? StatTest.WASSERSTEIN : StatTest.JENSEN_SHANNON;
    }

    /**
     * The column's test: the one its options name, checked against its type, or the default one.
     *
     * @param field the field to name when the named test does not apply, such as {@code options.columns.age.test}
     */
    public static StatTest choose(ColumnType type, ColumnValues reference, ColumnValues current, ColumnOptions options,
                                  String field) {
        return choose(type, options, field, () -> defaultTest(type, reference, current));
    }

    /** The same, with the default test found by {@code byDefault} only when the options name none. */
    public static StatTest choose(ColumnType type, ColumnOptions options, String field,
                                  java.util.function.Supplier<StatTest> byDefault) {
        if (options.test() == null) {
            return byDefault.get();
        }
        if (!options.test().appliesTo(type)) {
            throw QuiverException.badInput(field, options.test().evidentlyName() + " applies to numerical columns only,"
                    + " and this column is " + type.name().toLowerCase(java.util.Locale.ROOT));
        }
        return options.test();
    }
}
