/**
 * The one JSON configuration the core, the functions and the tools share ({@link dev.quiver.json.Json}), so that a
 * descriptor, a profile or an envelope reads and writes the same everywhere.
 */
package dev.quiver.json;
