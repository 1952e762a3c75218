package dev.quiver.feature;

import java.time.Instant;
import java.util.Map;

/**
 * One entity's feature values of one view at one event time, as pushed or materialized.
 *
 * @param key       the entity
 * @param eventTime when the values were true; a store keeps the newest
 * @param values    canonical values by feature name (see {@link ValueType}); a null value is stored as null
 */
public record FeatureRow(EntityKey key, Instant eventTime, Map<String, Object> values) {
}
