/**
 * The online feature store as configuration builds it, for any function that reads features (features, predict):
 * {@link dev.quiver.wiring.features.FeatureStoreConfig} ({@code quiver.features.*}), the CDI producers of the
 * definitions, the store (embedded or Redis), the {@link dev.quiver.feature.OnlineFeatures} reader and the
 * {@link dev.quiver.feature.FeatureWriter}, the demo load of an empty embedded store, fetch metrics and the readiness check. Nothing here knows a door.
 */
package dev.quiver.wiring.features;
