/**
 * The features function as an application: its entry point (serve, or the {@code materialize} command), Feast's
 * JSON settings, and the JSON route that every HTTP door of the function is served through.
 */
package dev.quiver.features.app;
