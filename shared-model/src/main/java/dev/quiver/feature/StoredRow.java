package dev.quiver.feature;

import java.time.Instant;
import java.util.Map;

/**
 * What a store holds for one entity in one view.
 *
 * @param eventTime the event time of the newest write
 * @param values    canonical values by feature name; a feature absent from the map was never written, a
 *                  feature mapped to null was written as null
 */
public record StoredRow(Instant eventTime, Map<String, Object> values) {
}
