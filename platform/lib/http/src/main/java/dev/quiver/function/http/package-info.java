/** How failures become HTTP answers: one error body and one status mapping for every door. */
package dev.quiver.function.http;
