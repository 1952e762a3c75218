/** Network helpers for tests that start servers. */
package dev.quiver.testing.net;
