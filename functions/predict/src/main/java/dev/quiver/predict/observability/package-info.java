/** Metrics and tracing of the predict function. */
package dev.quiver.predict.observability;
