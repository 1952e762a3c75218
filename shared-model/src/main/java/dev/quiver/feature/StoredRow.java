package dev.quiver.feature;

import java.time.Instant;
import java.util.Map;

/**
 * What a store holds for one entity in one view.
 *
 * @param eventTime the event time of the newest write
 * @param values    canonical values by feature name; a feature absent from the map was never written, a
 *                  feature mapped to null was written as null, and one mapped to {@link #INVALID} holds something
 *                  the store cannot decode
 */
public record StoredRow(Instant eventTime, Map<String, Object> values) {

    /**
     * Stands in {@link #values()} for a feature whose stored bytes the store cannot decode: readers answer it with
     * {@link FeatureStatus#INVALID} and a null value. Compared by identity; it is no feature value.
     */
    public static final Object INVALID = new Object() {
        @Override
        public String toString() {
            return "INVALID";
        }
    };
}
