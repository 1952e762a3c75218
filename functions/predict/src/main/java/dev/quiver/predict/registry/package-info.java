/**
 * The registry's wiring, its HTTP doors (versions and aliases; candidates measured before they are registered, with
 * the acceptance's wiring) and the readiness check.
 */
package dev.quiver.predict.registry;
