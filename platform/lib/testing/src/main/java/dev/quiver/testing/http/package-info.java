/** HTTP written byte by byte, for the requests no client library sends. */
package dev.quiver.testing.http;
