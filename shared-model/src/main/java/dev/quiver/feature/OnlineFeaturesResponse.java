package dev.quiver.feature;

import java.time.Instant;
import java.util.List;

/**
 * Feast's {@code get-online-features} answer: one column per name in {@code metadata.feature_names}, entity
 * columns first (status PRESENT, timestamp epoch, as Feast answers them), then the features in the order asked.
 */
public record OnlineFeaturesResponse(Metadata metadata, List<FeatureVector> results) {

    /** @param featureNames the column names */
    public record Metadata(List<String> featureNames) {
    }

    /** One column: a value, a status and an event timestamp per entity row. */
    public record FeatureVector(List<Object> values, List<FeatureStatus> statuses, List<Instant> eventTimestamps) {
    }
}
