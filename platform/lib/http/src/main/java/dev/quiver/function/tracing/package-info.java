/** Spans around a function's calls, the same way in every function. */
package dev.quiver.function.tracing;
