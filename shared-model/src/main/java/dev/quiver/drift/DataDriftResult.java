package dev.quiver.drift;

import java.util.List;

/**
 * The drift of a data set: each column's, and the verdict on the whole.
 *
 * @param columns                each column's drift, in the reference's column order
 * @param driftedColumns         how many columns drifted
 * @param shareOfDriftedColumns  {@code driftedColumns / columns.size()}
 * @param driftShare             the share the verdict used
 * @param datasetDrift           whether {@code shareOfDriftedColumns >= driftShare}
 */
public record DataDriftResult(List<ColumnDrift> columns, int driftedColumns, double shareOfDriftedColumns,
                              double driftShare, boolean datasetDrift) {

    public DataDriftResult {
        columns = List.copyOf(columns);
    }

    /** The drift of the named column, or null. */
    public ColumnDrift column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }
}
