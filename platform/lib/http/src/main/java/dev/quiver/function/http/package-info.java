/**
 * The HTTP doors' shared pieces: one error body and one status mapping for every door, and {@link
 * dev.quiver.function.http.JsonRoute}, a JSON door on a Vert.x route, with the event-loop batcher and the pooled JSON
 * writer it is built from.
 */
package dev.quiver.function.http;
