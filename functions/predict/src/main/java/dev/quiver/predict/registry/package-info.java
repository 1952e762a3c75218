/** The registry's wiring, its HTTP door and the readiness check. */
package dev.quiver.predict.registry;
