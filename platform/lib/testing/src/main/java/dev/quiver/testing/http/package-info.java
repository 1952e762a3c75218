/** HTTP for tests: requests written byte by byte, and endpoints that record what a function sends them. */
package dev.quiver.testing.http;
