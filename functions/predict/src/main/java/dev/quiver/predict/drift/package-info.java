/** Drift capture in the predict function: the wiring of the core's {@link dev.quiver.drift.capture.Capture}. */
package dev.quiver.predict.drift;
