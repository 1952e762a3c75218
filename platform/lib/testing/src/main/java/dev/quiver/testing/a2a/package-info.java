/**
 * A stand-in A2A agent for tests: a real HTTP server that speaks A2A's JSON-RPC {@code message/send} and serves an
 * agent card, so that a test can play one of the team's agents (the data scientist) without an A2A implementation.
 */
package dev.quiver.testing.a2a;
