package dev.quiver.drift;

import dev.quiver.drift.capture.Profile;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Drift in sketch mode: a window's merged {@link Profile} against the model's reference profile, with the same
 * tests, defaults, thresholds and verdicts as {@link DataDrift} in exact mode.
 *
 * <p>How close it comes to exact mode, per kind of column:
 * <ul>
 *   <li><b>Categorical</b>: profiles count every category exactly, so chi-square, the z-test, Jensen-Shannon and
 *       PSI are exactly what exact mode gives on the same rows. Error bound 0.</li>
 *   <li><b>Numerical</b>: a KLL sketch answers each rank within its normalized rank error ε (about 1.33% at
 *       k = 200, with 99% confidence, whatever the row count). The KS statistic D is a sup of a difference of two
 *       CDFs, so it is within ε_ref + ε_cur of the exact D. The Wasserstein distance integrates the same difference
 *       over the range, so it is within (ε_ref + ε_cur) × range. Normed by the reference's exact standard
 *       deviation (profiles keep exact moments), that bound is what {@link Result#errorBounds} reports. It is
 *       a worst case (0.15 to 0.3 for the churn columns): on the churn data the normed distance came within
 *       0.02 of exact mode's, and KS's D within 0.02 (KLL compacts at random, so this varies from run to run). The KS p-value is
 *       always the asymptotic one (SciPy's {@code method='asymp'}), since exact mode's exact distribution needs the
 *       values. Bins for Jensen-Shannon and PSI take their shares from the sketch's CDF at the bin edges.</li>
 * </ul>
 * Distinct values, which decide the default test, are counted on the values the sketches retain. That is exact
 * up to k values and a lower bound beyond, where it only matters whether there are more than 5 or 20.
 */
public final class SketchDrift {

    private SketchDrift() {
    }

    /**
     * @param drift       the same report as exact mode's
     * @param errorBounds per column, how far each statistic may be from exact mode's on the same rows (0 for
     *                    categorical columns; for KS the bound on D, for Wasserstein the bound on the normed distance)
     */
    public record Result(DataDriftResult drift, Map<String, Double> errorBounds) {
    }

    /** Compares {@code current} (a window) with {@code reference} (the model's training profile). */
    public static Result compute(Profile.Saved reference, Profile.Saved current, DriftOptions options) {
        Check.required(reference, "reference");
        Check.required(current, "current");
        Check.required(options, "options");
        Check.that(reference.rows() > 0, "reference", "the reference profile has no rows");
        Check.that(current.rows() > 0, "current", "the window has no rows");
        Check.that(reference.numeric().keySet().equals(current.numeric().keySet())
                        && reference.categoryNames().equals(current.categoryNames()), "current",
                "the window's inputs " + inputs(current) + " differ from the reference's " + inputs(reference));
        for (String named : options.columns().keySet()) {
            Check.that(reference.numeric().containsKey(named) || reference.categoryNames().containsKey(named),
                    "options.columns." + named, "is not a column of the reference");
        }
        List<ColumnDrift> columns = new ArrayList<>();
        Map<String, Double> bounds = new LinkedHashMap<>();
        for (String name : reference.numeric().keySet()) {
            KllDoublesSketch ref = Profile.numeric(reference, name);
            KllDoublesSketch cur = Profile.numeric(current, name);
            double std = reference.moments() == null || reference.moments().get(name) == null ? Double.NaN
                    : reference.moments().get(name).std();
            columns.add(numeric(name, ref, cur, std, options.column(name), bounds));
        }
        for (Map.Entry<String, List<String>> e : reference.categoryNames().entrySet()) {
            String name = e.getKey();
            columns.add(categorical(name, e.getValue(), reference.categories().get(name),
                    current.categories().get(name), options.column(name)));
            bounds.put(name, 0.0);
        }
        int drifted = (int) columns.stream().filter(ColumnDrift::drifted).count();
        double share = (double) drifted / columns.size();
        return new Result(new DataDriftResult(columns, drifted, share, options.driftShare(),
                share >= options.driftShare()), bounds);
    }

    private static ColumnDrift categorical(String name, List<String> names, long[] ref, long[] cur,
                                           ColumnOptions options) {
        Check.that(options.type() != ColumnType.NUMERICAL, "options.columns." + name + ".type",
                "categories cannot be read as numbers");
        TreeMap<String, long[]> seen = new TreeMap<>();
        long refRows = 0;
        long curRows = 0;
        for (int c = 0; c < names.size(); c++) {
            refRows += ref[c];
            curRows += cur[c];
            if (ref[c] + cur[c] > 0) {
                seen.put(names.get(c), new long[] {ref[c], cur[c]});
            }
        }
        return fromCounts(name, ColumnType.CATEGORICAL, seen, refRows, curRows, options);
    }

    /** A column compared by its counts per value (categories, or numbers with few values). */
    private static ColumnDrift fromCounts(String name, ColumnType type, TreeMap<?, long[]> seen, long refRows,
                                          long curRows, ColumnOptions options) {
        CategoryCounts counts = CategoryCounts.of(seen, Math.toIntExact(refRows), Math.toIntExact(curRows));
        long[] r = counts.reference();
        long[] c = counts.current();
        StatTest test = test(name, type, refRows, counts.size(), options);
        double threshold = threshold(name, test, options);
        double statistic;
        switch (test) {
            case CHI_SQUARE, Z -> {
                return counts.verdict(name, type, test, threshold);
            }
            case JENSEN_SHANNON -> statistic = JensenShannonDistance.test(new Binning(
                    Binning.shares(r, counts.referenceSize()), Binning.shares(c, counts.currentSize()))).distance();
            case PSI -> {
                double[] rs = Binning.shares(r, counts.referenceSize());
                double[] cs = Binning.shares(c, counts.currentSize());
                Binning.fillEmpty(rs);
                Binning.fillEmpty(cs);
                statistic = PopulationStabilityIndex.test(new Binning(rs, cs)).psi();
            }
            default -> throw QuiverException.badInput("options.columns." + name + ".test",
                    test.evidentlyName() + " needs the values of a numerical column");
        }
        return new ColumnDrift(name, type, test, statistic, null, threshold, test.drifted(statistic, null, threshold),
                SampleSize.note(test, counts));
    }

    private static ColumnDrift numeric(String name, KllDoublesSketch ref, KllDoublesSketch cur, double refStd,
                                       ColumnOptions options, Map<String, Double> bounds) {
        double[] refItems = ref.getSortedView().getQuantiles();
        double[] curItems = cur.getSortedView().getQuantiles();
        TreeSet<Double> union = new TreeSet<>();
        for (double v : refItems) {
            union.add(v == 0.0 ? 0.0 : v);
        }
        TreeSet<Double> refDistinct = new TreeSet<>(union);
        for (double v : curItems) {
            union.add(v == 0.0 ? 0.0 : v);
        }
        ColumnType type = options.type() != null ? options.type() : ColumnType.NUMERICAL;
        double eps = ref.getNormalizedRankError(false) + cur.getNormalizedRankError(false);
        StatTest test = test(name, type, ref.getN(), union.size(), options);
        if (type == ColumnType.CATEGORICAL || test == StatTest.CHI_SQUARE || test == StatTest.Z
                || ((test == StatTest.JENSEN_SHANNON || test == StatTest.PSI)
                && refDistinct.size() <= Binning.MAX_VALUES_AS_CATEGORIES)) {
            // few values: counted per value from the sketches' ranks
            TreeMap<Double, long[]> seen = new TreeMap<>();
            for (double v : union) {
                seen.put(v, new long[] {count(ref, v), count(cur, v)});
            }
            bounds.put(name, eps);
            return fromCounts(name, type, seen, ref.getN(), cur.getN(), options);
        }
        double threshold = threshold(name, test, options);
        double[] xs = union.stream().mapToDouble(Double::doubleValue).toArray();
        double statistic;
        Double p = null;
        String note = null;
        switch (test) {
            case KS -> {
                double d = 0;
                for (double x : xs) {
                    d = Math.max(d, Math.abs(rank(ref, x) - rank(cur, x)));
                }
                double m = Math.max(ref.getN(), cur.getN());
                double n = Math.min(ref.getN(), cur.getN());
                statistic = d;
                p = Math.min(1, Math.max(0, KolmogorovDistribution.sf((int) Math.rint(m * n / (m + n)), d)));
                bounds.put(name, eps);
            }
            case WASSERSTEIN -> {
                double w = 0;
                for (int k = 0; k < xs.length - 1; k++) {
                    w += Math.abs(rank(ref, xs[k]) - rank(cur, xs[k])) * (xs[k + 1] - xs[k]);
                }
                double std = Double.isNaN(refStd) ? 0 : refStd;
                double norm = Math.max(std, WassersteinDistance.MIN_STD);
                statistic = w / norm;
                bounds.put(name, eps * (xs[xs.length - 1] - xs[0]) / norm);
            }
            case JENSEN_SHANNON, PSI -> {
                double[] edges = Binning.sturgesEdges(xs[0], xs[xs.length - 1],
                        Math.toIntExact(ref.getN() + cur.getN()));
                double[] rs = binShares(ref, edges);
                double[] cs = binShares(cur, edges);
                if (test == StatTest.PSI) {
                    Binning.fillEmpty(rs);
                    Binning.fillEmpty(cs);
                    statistic = PopulationStabilityIndex.test(new Binning(rs, cs)).psi();
                } else {
                    statistic = JensenShannonDistance.test(new Binning(rs, cs)).distance();
                }
                note = SampleSize.binned(test, edges.length - 1, cur.getN(), ref.getN());
                bounds.put(name, Double.NaN);
            }
            default -> throw new IllegalStateException("unknown test " + test);
        }
        return new ColumnDrift(name, type, test, statistic, p, threshold, test.drifted(statistic, p, threshold),
                note);
    }

    private static StatTest test(String name, ColumnType type, long refRows, int distinct, ColumnOptions options) {
        return StatTestSelector.choose(type, options, "options.columns." + name + ".test",
                () -> StatTestSelector.defaultTest(type, refRows, distinct));
    }

    private static double threshold(String name, StatTest test, ColumnOptions options) {
        return options.threshold() == null ? test.defaultThreshold()
                : test.checkThreshold(options.threshold(), "options.columns." + name + ".threshold");
    }

    /** The share of values at or below {@code x}. */
    private static double rank(KllDoublesSketch s, double x) {
        return s.getRank(x, QuantileSearchCriteria.INCLUSIVE);
    }

    /** About how many values equal {@code x}: the jump of the CDF at {@code x}, times the row count. */
    private static long count(KllDoublesSketch s, double x) {
        double jump = s.getRank(x, QuantileSearchCriteria.INCLUSIVE) - s.getRank(x, QuantileSearchCriteria.EXCLUSIVE);
        return Math.round(jump * s.getN());
    }

    /** Shares per bin [e_i, e_i+1), the last one closed, as {@code numpy.histogram} cuts them, from a sketch's CDF. */
    public static double[] binShares(KllDoublesSketch s, double[] edges) {
        int bins = edges.length - 1;
        double[] shares = new double[bins];
        for (int i = 0; i < bins; i++) {
            double upper = i == bins - 1 ? s.getRank(edges[i + 1], QuantileSearchCriteria.INCLUSIVE)
                    : s.getRank(edges[i + 1], QuantileSearchCriteria.EXCLUSIVE);
            shares[i] = Math.max(0, upper - s.getRank(edges[i], QuantileSearchCriteria.EXCLUSIVE));
        }
        return shares;
    }

    private static List<String> inputs(Profile.Saved p) {
        List<String> all = new ArrayList<>(p.numeric().keySet());
        all.addAll(p.categoryNames().keySet());
        return all;
    }

    /**
     * A column's distribution in both profiles, for people to look at: for a categorical column each category's
     * share; for a numerical one the shares of {@code bins} equal-width bins over both profiles' range, from the
     * sketches' CDFs.
     *
     * @param bins    one label per bin: the category, or the bin's range
     * @param reference the reference's share per bin
     * @param current the window's share per bin
     */
    public record Distribution(String column, List<String> bins, double[] reference, double[] current) {
    }

    /** {@code column}'s {@link Distribution}; NOT_FOUND when neither profile has the column. */
    public static Distribution distribution(Profile.Saved reference, Profile.Saved current, String column, int bins) {
        if (reference.categoryNames().containsKey(column)) {
            List<String> names = reference.categoryNames().get(column);
            long[] r = reference.categories().get(column);
            long[] c = current.categories().get(column);
            List<String> labels = new ArrayList<>();
            List<long[]> kept = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (r[i] + c[i] > 0) {
                    labels.add(names.get(i));
                    kept.add(new long[] {r[i], c[i]});
                }
            }
            double[] rs = new double[kept.size()];
            double[] cs = new double[kept.size()];
            for (int i = 0; i < kept.size(); i++) {
                rs[i] = kept.get(i)[0] / (double) Math.max(1, reference.rows());
                cs[i] = kept.get(i)[1] / (double) Math.max(1, current.rows());
            }
            return new Distribution(column, labels, rs, cs);
        }
        if (!reference.numeric().containsKey(column)) {
            throw QuiverException.notFound("column", "no column '" + column + "' in the profiles");
        }
        KllDoublesSketch ref = Profile.numeric(reference, column);
        KllDoublesSketch cur = Profile.numeric(current, column);
        double min = Math.min(ref.getMinItem(), cur.getMinItem());
        double max = Math.max(ref.getMaxItem(), cur.getMaxItem());
        if (min == max) {
            min -= 0.5;
            max += 0.5;
        }
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = min + (max - min) * i / bins;
        }
        edges[bins] = max;
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            labels.add(String.format(java.util.Locale.ROOT, "%.4g to %.4g", edges[i], edges[i + 1]));
        }
        return new Distribution(column, labels, binShares(ref, edges), binShares(cur, edges));
    }
}
