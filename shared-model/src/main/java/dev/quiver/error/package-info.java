/** The core's error type and its precondition helper; adapters map {@link dev.quiver.error.QuiverException.Kind} to their transport. */
package dev.quiver.error;
