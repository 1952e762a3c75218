package dev.quiver.feature;

import java.util.List;

/**
 * Told, once per feature view of every read the store answered, how many entity rows lacked the view's features or
 * read them older than its TTL; {@link FeatureGaps} turns this into feature requests. Called on the thread the read
 * completes on (an event loop for Redis): it must be quick, must not block, and must not throw.
 */
public interface GapObserver {

    GapObserver NONE = (view, features, rows, missingRows, staleRows, missingByFeature) -> {
    };

    /**
     * @param view             the view read
     * @param features         the view's features the read asked for, in the read's order
     * @param rows             entity rows read
     * @param missingRows      rows where at least one of {@code features} was not found, stored null, or unreadable
     * @param staleRows        rows stored but older than the view's TTL ({@link FeatureStatus#OUTSIDE_MAX_AGE})
     * @param missingByFeature per feature of {@code features}, the rows that lacked it; null when
     *                         {@code missingRows} is 0. Read during the call only: the array is not kept
     */
    void read(FeatureView view, List<String> features, int rows, int missingRows, int staleRows,
              int[] missingByFeature);
}
