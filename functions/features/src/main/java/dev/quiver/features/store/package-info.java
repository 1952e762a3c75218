/**
 * The online feature store as configuration builds it: {@link dev.quiver.features.store.FeatureStoreConfig}
 * ({@code quiver.features.*}), the CDI producers of the definitions, the store (embedded or Redis) and the
 * {@link dev.quiver.feature.OnlineFeatures} service, and the readiness check. Nothing here knows a door, so any
 * function that reads features can use it.
 */
package dev.quiver.features.store;
