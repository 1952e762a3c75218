package dev.quiver.feature;

import java.time.Instant;
import java.util.List;

/**
 * Feature values for a batch of entities, column-major as Feast's serving API returns them: column {@code c}
 * is {@code refs.get(c)}, row {@code e} is entity {@code e} of the request.
 *
 * @param refs            the features, in the order asked
 * @param values          {@code values[c][e]}: the canonical value, or null when not found or stored as null
 * @param statuses        {@code statuses[c][e]}
 * @param eventTimestamps {@code eventTimestamps[c][e]}: the stored row's event time, {@link Instant#EPOCH} when not found
 */
public record FeatureMatrix(List<FeatureRef> refs, int entities, Object[][] values, FeatureStatus[][] statuses,
                            Instant[][] eventTimestamps) {

    /** The index of the column holding {@code ref}, or -1. */
    public int column(FeatureRef ref) {
        return refs.indexOf(ref);
    }
}
