package dev.quiver.drift;

import java.util.Locale;

/**
 * Whether two samples are large enough for a test's number to mean what it says, by the textbook rules: the
 * chi-square and z approximations need an expected count of at least {@value #MIN_EXPECTED} per cell, and a binned
 * distance needs about {@value #MIN_EXPECTED} rows a bin before it stands above its own sampling noise (on identical
 * distributions, the Jensen-Shannon distance over 20 bins from 50 rows is about 0.2, twice Evidently's threshold).
 * KS (exact for small samples) and the Wasserstein distance have no such rule.
 *
 * <p>A shortfall does not change the statistic, which stays the one SciPy and Evidently compute; it is reported
 * beside it, so that a verdict from too few rows is never mistaken for one from enough.
 */
public final class SampleSize {

    /** The least expected count per cell (Cochran's rule), and rows per bin. */
    public static final int MIN_EXPECTED = 5;

    private SampleSize() {
    }

    /** What {@code test} on these counts lacks, or null when they suffice. */
    public static String note(StatTest test, CategoryCounts counts) {
        return switch (test) {
            case CHI_SQUARE -> chiSquare(counts);
            case Z -> z(counts);
            case JENSEN_SHANNON, PSI -> binned(test, counts.size(), counts.currentSize(), counts.referenceSize());
            default -> null;
        };
    }

    /** What a binned distance ({@code test}) over {@code bins} bins lacks, or null when the samples suffice. */
    public static String binned(StatTest test, int bins, long currentRows, long referenceRows) {
        long needed = (long) MIN_EXPECTED * bins;
        long fewest = Math.min(currentRows, referenceRows);
        if (fewest >= needed) {
            return null;
        }
        return String.format(Locale.ROOT, "%s over %d bins from %d %s rows: about %d rows (%d a bin) are needed"
                        + " before the distance stands above sampling noise; read it as an upper bound",
                test.evidentlyName(), bins, fewest, currentRows <= referenceRows ? "current" : "reference", needed,
                MIN_EXPECTED);
    }

    private static String chiSquare(CategoryCounts counts) {
        int low = 0;
        double least = Double.POSITIVE_INFINITY;
        for (int i = 0; i < counts.size(); i++) {
            double expected = (double) counts.currentSize() * counts.reference()[i] / counts.referenceSize();
            if (expected < MIN_EXPECTED) {
                low++;
            }
            least = Math.min(least, expected);
        }
        if (low == 0) {
            return null;
        }
        return String.format(Locale.ROOT, "%d of %d categories expect fewer than %d of the %d current rows (least"
                        + " %.2f); the chi-square p-value is an approximation that needs %d in each",
                low, counts.size(), MIN_EXPECTED, counts.currentSize(), least, MIN_EXPECTED);
    }

    private static String z(CategoryCounts counts) {
        if (counts.size() != 2) {
            return null;
        }
        double pooled = (double) (counts.reference()[1] + counts.current()[1])
                / (counts.referenceSize() + counts.currentSize());
        double least = Math.min(pooled, 1 - pooled) * Math.min(counts.referenceSize(), counts.currentSize());
        if (least >= MIN_EXPECTED) {
            return null;
        }
        return String.format(Locale.ROOT, "the z-test's normal approximation needs at least %d expected rows of each"
                        + " value in each sample; the smaller sample (%d rows) expects %.2f of the rarer value",
                MIN_EXPECTED, Math.min(counts.referenceSize(), counts.currentSize()), least);
    }
}
