/**
 * Online features: definitions as {@code config/features.yaml} declares them (entities, feature views, feature
 * services, push sources), the {@link dev.quiver.feature.OnlineStore} port with its embedded default, and
 * {@link dev.quiver.feature.OnlineFeatures}, which answers Feast's {@code get-online-features} and {@code push}
 * calls with the view's TTL enforced on read.
 */
package dev.quiver.feature;
