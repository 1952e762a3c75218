/**
 * Prediction: the inference engine port, named-feature encoding, and the service that checks requests and
 * scores them, for the plain JSON API and the Open Inference Protocol alike.
 */
package dev.quiver.prediction;
