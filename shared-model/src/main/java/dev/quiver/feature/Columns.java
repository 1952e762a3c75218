package dev.quiver.feature;

import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;

import java.util.List;
import java.util.Map;

/**
 * A table given column by column, as Feast's requests give their rows (a read's {@code entities}, a push's
 * {@code df}): the checks that reads and writes both make of it, with the same wording.
 */
final class Columns {

    private Columns() {
    }

    /** A check of one column, made before its length is compared. */
    @FunctionalInterface
    interface ColumnCheck {
        /**
         * @param name   the column's name
         * @param field  the column's field, for errors: {@code entities.driver_id}
         * @param values the column's values, perhaps null
         */
        void check(String name, String field, List<Object> values);
    }

    /**
     * The number of rows of {@code columns}: every column holds as many values as the first one. Columns are checked
     * in order, each first by {@code eachColumn}, then for its length; the first that fails throws BAD_INPUT naming it.
     *
     * @param field      the request's field that holds the table: {@code entities}, {@code df}
     * @param column     what a column is, for the error: {@code join key}, {@code column}
     * @param eachColumn checks one column before its length is compared
     * @return the number of rows; -1 for a table without columns
     */
    static int rows(Map<String, List<Object>> columns, String field, String column,
                    ColumnCheck eachColumn) {
        int n = -1;
        for (Map.Entry<String, List<Object>> e : columns.entrySet()) {
            String at = field + "." + e.getKey();
            eachColumn.check(e.getKey(), at, e.getValue());
            int size = e.getValue().size();
            if (n < 0) {
                n = size;
            }
            Check.that(size == n, at, "holds " + size + " values, but " + columns.keySet().iterator().next()
                    + " holds " + n + "; every " + column + " needs one value per row");
        }
        return n;
    }

    /**
     * Throws TOO_LARGE naming {@code field} when {@code n} rows are more than {@code limit}.
     *
     * @param rows what the rows are, for the error: {@code entity rows}, {@code rows}
     */
    static void withinLimit(int n, int limit, String field, String rows) {
        if (n > limit) {
            throw QuiverException.tooLarge(field, n + " " + rows + " is more than the limit of " + limit);
        }
    }
}
