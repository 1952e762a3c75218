/**
 * Prediction: the service that checks requests and scores them, for the plain JSON API and the Open Inference
 * Protocol alike ({@link dev.quiver.prediction.PredictionService}), and the pieces it delegates to: rows of named
 * features, entity rows read from the online store with per-row errors, the dynamic batcher, and tensor inference.
 */
package dev.quiver.prediction;
