package dev.quiver.prediction;

import dev.quiver.inference.BadRowException;

/**
 * Why one row of a request by entity id was not scored, while the others were: the row's index in the request and
 * the reason the caller reads in that row's {@code error}.
 */
public record RowError(int row, String reason) {

    /** Row {@code row}'s stored feature value that the model cannot take (a category it never saw). */
    static RowError stored(int row, BadRowException e) {
        return new RowError(row, "stored " + (e.feature() == null ? "row" : e.feature()) + ": " + e.reason());
    }
}
