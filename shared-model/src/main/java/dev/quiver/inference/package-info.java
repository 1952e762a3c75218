/**
 * The port to the runtime that executes model graphs ({@link dev.quiver.inference.InferenceEngine}, a
 * {@link dev.quiver.inference.LoadedModel} per version) and what is compiled once per loaded version
 * ({@link dev.quiver.inference.ServedModel}, its {@link dev.quiver.inference.FeatureEncoder}). The registry loads
 * through this port and prediction runs through it; it depends on neither.
 */
package dev.quiver.inference;
