package dev.quiver.feature;

import java.util.List;
import java.util.Map;

/**
 * Feast's {@code POST /get-online-features} body.
 *
 * @param features         {@code view:feature} references; or
 * @param featureService   the name of a feature service (exactly one of the two)
 * @param entities         join key to one value per entity row; every list has the same length
 * @param fullFeatureNames name columns {@code view__feature} instead of {@code feature}
 */
public record OnlineFeaturesRequest(List<String> features, String featureService, Map<String, List<Object>> entities,
                                    Boolean fullFeatureNames) {
}
