/**
 * Online features: definitions as {@code config/features.yaml} declares them (entities, feature views, feature
 * services, push sources), the {@link dev.quiver.feature.OnlineStore} port with its embedded default,
 * {@link dev.quiver.feature.OnlineFeatures}, which answers Feast's {@code get-online-features} with the view's TTL
 * enforced on read, and {@link dev.quiver.feature.FeatureWriter}, which checks and writes Feast's {@code push} and
 * bulk loads ({@link dev.quiver.feature.Materializer}). Every answered read is told to a
 * {@link dev.quiver.feature.GapObserver}; {@link dev.quiver.feature.FeatureGaps} counts, per view, the rows that lacked
 * features or were stale, and asks the data engineer for them once per incident.
 */
package dev.quiver.feature;
