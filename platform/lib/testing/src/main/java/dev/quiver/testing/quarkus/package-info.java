/** Quarkus test resources and beans: the predict function's temporary stores, the in-memory span exporter. */
package dev.quiver.testing.quarkus;
