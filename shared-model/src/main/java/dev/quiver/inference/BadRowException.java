package dev.quiver.inference;

import dev.quiver.error.QuiverException;

/**
 * A BAD_INPUT about one row of named features, as {@link FeatureEncoder} finds it: the row's index and the feature
 * travel as data, so that a caller that lets one row fail alone reads them here rather than from the message.
 *
 * <p>Its {@link #field()} is {@code rows[<row>].<feature>}, or {@code rows[<row>]} when the row itself is not an
 * object of named features; its message is the field and the {@link #reason()}, as for any {@link QuiverException}.
 */
public final class BadRowException extends QuiverException {

    private final int row;
    private final String feature;

    /**
     * @param row     the row's index in the rows that were encoded
     * @param feature the feature the problem is about; null when it is about the whole row
     */
    public BadRowException(int row, String feature, String reason) {
        super(Kind.BAD_INPUT, feature == null ? "rows[" + row + "]" : "rows[" + row + "]." + feature, reason);
        this.row = row;
        this.feature = feature;
    }

    /** The row's index in the rows that were encoded. */
    public int row() {
        return row;
    }

    /** The feature the problem is about; null when it is about the whole row. */
    public String feature() {
        return feature;
    }
}
