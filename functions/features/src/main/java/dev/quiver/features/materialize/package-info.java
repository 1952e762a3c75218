/**
 * Bulk loads: the {@code materialize} command (a file, by default each view's batch source, into the configured
 * store) and the demo load of an empty embedded store at start.
 */
package dev.quiver.features.materialize;
