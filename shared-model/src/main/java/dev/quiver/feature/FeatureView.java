package dev.quiver.feature;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A group of features about the same entities, stored and read together.
 *
 * @param name       the view's name; part of every stored field's hash in Feast's Redis layout
 * @param entities   the entities it is keyed by, in declaration order
 * @param features   its features
 * @param ttl        how old a value may be and still count as fresh; {@link Duration#ZERO} for no limit. Reads
 *                   mark older values {@link FeatureStatus#OUTSIDE_MAX_AGE}
 * @param pushSource the push source that writes to it, or null
 * @param source     the batch source a bulk load reads, or null
 */
public record FeatureView(String name, List<Entity> entities, List<Feature> features, Duration ttl,
                          String pushSource, BatchSource source) {

    /**
     * A file a bulk load (materialize) reads into the view: CSV with a header row, or JSON lines.
     *
     * @param path           the file, relative to the definitions file (or absolute)
     * @param rowNumberKey   a join key to fill with each row's 1-based number, for data without ids; or null
     * @param timestampField the column holding event times; rows without it get the load's time
     */
    public record BatchSource(String path, String rowNumberKey, String timestampField) {
    }

    public FeatureView {
        entities = List.copyOf(entities);
        features = List.copyOf(features);
        ttl = ttl == null ? Duration.ZERO : ttl;
    }

    /** The feature called {@code name}, or null. */
    public Feature feature(String name) {
        for (Feature f : features) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The view's features by name. */
    public Map<String, Feature> featuresByName() {
        Map<String, Feature> m = new HashMap<>();
        features.forEach(f -> m.put(f.name(), f));
        return m;
    }

    /** The join keys of its entities, in declaration order. */
    public List<String> joinKeys() {
        return entities.stream().map(Entity::joinKey).toList();
    }
}
