package dev.quiver.drift;

import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Data drift of a current sample against a reference, column by column, as Evidently's data drift preset computes
 * it in its default (exact) mode: each column's test chosen by {@link StatTestSelector} unless its options name one,
 * with the test's default threshold unless they name one, and the data set drifted when the share of drifted columns
 * is at least {@link DriftOptions#driftShare()} (Evidently's {@code get_dataset_drift}).
 *
 * <p>The columns are the reference's; a column the current sample lacks is bad input, one only the current sample
 * has is ignored. Unlike Evidently, which drops them, NaN and infinite numbers are refused, as are null categories
 * and empty samples: a drift computed on silently fewer rows is not the drift asked for.
 */
public final class DataDrift {

    private DataDrift() {
    }

    /**
     * Computes the drift of every column of {@code reference}.
     *
     * @param reference column name to the reference's values, in the order the result should have
     * @param current   column name to the current sample's values
     * @throws QuiverException {@code BAD_INPUT} naming the field: {@code reference.<column>},
     *                         {@code current.<column>[row]}, {@code options.columns.<column>.threshold}, ...
     */
    public static DataDriftResult compute(Map<String, ? extends ColumnValues> reference,
                                          Map<String, ? extends ColumnValues> current, DriftOptions options) {
        Check.required(reference, "reference");
        Check.required(current, "current");
        Check.required(options, "options");
        Check.that(!reference.isEmpty(), "reference", "has no columns");
        for (String named : options.columns().keySet()) {
            Check.that(reference.containsKey(named), "options.columns." + named, "is not a column of the reference");
        }
        List<Map.Entry<String, ? extends ColumnValues>> refs = new ArrayList<>(reference.entrySet());
        List<ColumnDrift> columns = columns(refs, current, options);
        int drifted = (int) columns.stream().filter(ColumnDrift::drifted).count();
        double share = (double) drifted / columns.size();
        return new DataDriftResult(columns, drifted, share, options.driftShare(), share >= options.driftShare());
    }

    /**
     * Every column's drift, in order. With more than one processor the columns are computed side by side on the
     * common fork-join pool; the error thrown is still the one of the first bad column in the reference's order,
     * as one column after the other would throw it: a column after a failed one is skipped, none before it is.
     */
    private static List<ColumnDrift> columns(List<Map.Entry<String, ? extends ColumnValues>> refs,
                                             Map<String, ? extends ColumnValues> current, DriftOptions options) {
        int n = refs.size();
        ColumnDrift[] out = new ColumnDrift[n];
        if (n == 1 || Runtime.getRuntime().availableProcessors() == 1) {
            for (int c = 0; c < n; c++) {
                out[c] = column(refs.get(c), current, options);
            }
            return Arrays.asList(out);
        }
        RuntimeException[] failures = new RuntimeException[n];
        AtomicInteger firstFailed = new AtomicInteger(n);
        IntStream.range(0, n).parallel().forEach(c -> {
            if (c > firstFailed.get()) {
                return;
            }
            try {
                out[c] = column(refs.get(c), current, options);
            } catch (RuntimeException e) {
                failures[c] = e;
                firstFailed.accumulateAndGet(c, Math::min);
            }
        });
        if (firstFailed.get() < n) {
            throw failures[firstFailed.get()];
        }
        return Arrays.asList(out);
    }

    private static ColumnDrift column(Map.Entry<String, ? extends ColumnValues> reference,
                                      Map<String, ? extends ColumnValues> current, DriftOptions options) {
        String name = reference.getKey();
        ColumnValues cur = current.get(name);
        if (cur == null) {
            throw QuiverException.badInput("current." + name, "is missing; the reference has this column");
        }
        return column(name, reference.getValue(), cur, options.column(name));
    }

    /** Computes the drift of one column; see {@link #compute}. */
    public static ColumnDrift column(String name, ColumnValues reference, ColumnValues current, ColumnOptions options) {
        Check.required(name, "column");
        Check.required(options, "options.columns." + name);
        ColumnType type = typeOf(name, reference, current, options);
        checkValues(reference, "reference." + name);
        checkValues(current, "current." + name);
        StatTest test = StatTestSelector.choose(type, reference, current, options, "options.columns." + name + ".test");
        double threshold = options.threshold() == null ? test.defaultThreshold()
                : test.checkThreshold(options.threshold(), "options.columns." + name + ".threshold");
        double statistic;
        Double pValue = null;
        String note = null;
        switch (test) {
            case KS -> {
                KolmogorovSmirnov ks = KolmogorovSmirnov.test(numbers(reference), numbers(current));
                statistic = ks.statistic();
                pValue = ks.pValue();
            }
            case CHI_SQUARE, Z -> {
                return CategoryCounts.of(reference, current).verdict(name, type, test, threshold);
            }
            case WASSERSTEIN -> statistic = WassersteinDistance.test(numbers(reference), numbers(current)).normed();
            case JENSEN_SHANNON, PSI -> {
                Binning bins = Binning.of(type, reference, current, test == StatTest.PSI);
                statistic = test == StatTest.PSI ? PopulationStabilityIndex.test(bins).psi()
                        : JensenShannonDistance.test(bins).distance();
                note = SampleSize.binned(test, bins.bins(), current.size(), reference.size());
            }
            default -> throw new IllegalStateException("unknown test " + test);
        }
        return new ColumnDrift(name, type, test, statistic, pValue, threshold, test.drifted(statistic, pValue, threshold),
                note);
    }

    private static ColumnType typeOf(String name, ColumnValues reference, ColumnValues current, ColumnOptions options) {
        Check.required(reference, "reference." + name);
        Check.required(current, "current." + name);
        boolean numbers = reference instanceof ColumnValues.Numbers;
        if (numbers != current instanceof ColumnValues.Numbers) {
            throw QuiverException.badInput("current." + name, numbers ? "must be numbers, as in the reference"
                    : "must be categories, as in the reference");
        }
        if (options.type() == ColumnType.NUMERICAL && !numbers) {
            throw QuiverException.badInput("options.columns." + name + ".type",
                    "categories cannot be read as numbers");
        }
        if (options.type() != null) {
            return options.type();
        }
        return numbers ? ColumnType.NUMERICAL : ColumnType.CATEGORICAL;
    }

    private static void checkValues(ColumnValues values, String field) {
        Check.that(values.size() > 0, field, "is empty; drift needs at least one row in each sample");
        if (values instanceof ColumnValues.Numbers n) {
            double[] v = n.values();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    throw QuiverException.badInput(field + "[" + i + "]",
                            (Double.isNaN(v[i]) ? "is NaN" : "is infinite") + "; drift needs finite numbers");
                }
            }
        } else if (values instanceof ColumnValues.Categories c) {
            List<String> v = c.values();
            for (int i = 0; i < v.size(); i++) {
                if (v.get(i) == null) {
                    throw QuiverException.badInput(field + "[" + i + "]", "is null; drift needs a category in every row");
                }
            }
        }
    }

    private static double[] numbers(ColumnValues values) {
        return ((ColumnValues.Numbers) values).values();
    }
}
