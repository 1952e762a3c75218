package dev.quiver.feature;

import java.util.List;
import java.util.Map;

/**
 * Feast's {@code POST /push} body.
 *
 * @param pushSourceName the push source; rows go to every view it feeds
 * @param df             column name to one value per row: the join keys, {@code event_timestamp}, every feature
 *                       of the views (a {@code created} column is accepted and ignored, as Feast ignores it online)
 * @param to             {@code online} (the default) or {@code online_and_offline}; this server keeps no offline
 *                       store, so {@code offline} is refused
 */
public record PushRequest(String pushSourceName, Map<String, List<Object>> df, String to) {
}
