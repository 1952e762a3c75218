package dev.quiver.drift;

import dev.quiver.error.QuiverException;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The drift tests, under Evidently's names, with Evidently's default thresholds and verdicts.
 *
 * <p>Tests that return a p-value find drift when the p-value is below the threshold (the Kolmogorov-Smirnov test
 * when it is below or equal, as Evidently's {@code ks_stattest} does); distances find drift when the distance is at
 * or above it.
 */
public enum StatTest {
    /** Two-sample Kolmogorov-Smirnov: Evidently's {@code ks}, numbers only, drift when p &le; 0.05. */
    KS("ks", 0.05, true, EnumSet.of(ColumnType.NUMERICAL)),
    /** Pearson's chi-square against the reference's shares: Evidently's {@code chisquare}, drift when p &lt; 0.05. */
    CHI_SQUARE("chisquare", 0.05, true, EnumSet.allOf(ColumnType.class)),
    /** Z-test for two proportions: Evidently's {@code z}, for two categories, drift when p &lt; 0.05. */
    Z("z", 0.05, true, EnumSet.allOf(ColumnType.class)),
    /** Wasserstein distance over the reference's standard deviation: Evidently's {@code wasserstein}, drift when &ge; 0.1. */
    WASSERSTEIN("wasserstein", 0.1, false, EnumSet.of(ColumnType.NUMERICAL)),
    /** Jensen-Shannon distance (natural logarithm): Evidently's {@code jensenshannon}, drift when &ge; 0.1. */
    JENSEN_SHANNON("jensenshannon", 0.1, false, EnumSet.allOf(ColumnType.class)),
    /** Population stability index: Evidently's {@code psi}, drift when &ge; 0.1. */
    PSI("psi", 0.1, false, EnumSet.allOf(ColumnType.class));

    private final String evidentlyName;
    private final double defaultThreshold;
    private final boolean pValue;
    private final Set<ColumnType> types;

    StatTest(String evidentlyName, double defaultThreshold, boolean pValue, Set<ColumnType> types) {
        this.evidentlyName = evidentlyName;
        this.defaultThreshold = defaultThreshold;
        this.pValue = pValue;
        this.types = types;
    }

    /** The name Evidently registers the test under, such as {@code ks} or {@code jensenshannon}. */
    public String evidentlyName() {
        return evidentlyName;
    }

    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** Whether the test returns a p-value (drift below the threshold) rather than a distance (drift at or above). */
    public boolean returnsPValue() {
        return pValue;
    }

    /** Whether the test applies to columns of this type. */
    public boolean appliesTo(ColumnType type) {
        return types.contains(type);
    }

    /** The verdict: for p-value tests on {@code pValue}, for distances on {@code statistic}. */
    public boolean drifted(double statistic, Double pValue, double threshold) {
        if (this == KS) {
            return pValue <= threshold;
        }
        return this.pValue ? pValue < threshold : statistic >= threshold;
    }

    /**
     * Returns {@code threshold}, or fails with {@code BAD_INPUT} on {@code field} when it is out of range: a p-value
     * threshold must lie in (0, 1), a distance threshold must be positive and finite.
     */
    public double checkThreshold(double threshold, String field) {
        if (pValue && !(threshold > 0 && threshold < 1)) {
            throw QuiverException.badInput(field, "must be between 0 and 1 (exclusive) for the p-value of "
                    + evidentlyName + ", was " + threshold);
        }
        if (!pValue && !(threshold > 0 && Double.isFinite(threshold))) {
            throw QuiverException.badInput(field, "must be a positive number for the distance " + evidentlyName
                    + ", was " + threshold);
        }
        return threshold;
    }

    /** The test of this Evidently name (or enum name), case-insensitive; {@code BAD_INPUT} on {@code field} otherwise. */
    public static StatTest named(String name, String field) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (StatTest t : values()) {
            if (t.evidentlyName.equals(wanted) || t.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return t;
            }
        }
        throw QuiverException.badInput(field, "unknown test '" + name
                + "': one of ks, chisquare, z, wasserstein, jensenshannon, psi");
    }
}
