/**
 * Quarkus test resources and beans: the predict function's temporary stores, the in-memory span exporter, and a
 * CloudEvent sink that records what a function sends its team.
 */
package dev.quiver.testing.quarkus;
