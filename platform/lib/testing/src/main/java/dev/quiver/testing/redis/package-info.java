/** A real redis-server for tests, started on a free loopback port, and a raw client that speaks RESP to it. */
package dev.quiver.testing.redis;
