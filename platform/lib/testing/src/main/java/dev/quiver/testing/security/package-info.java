/** The test profile's API keys and a test identity provider that signs JWTs and serves its JWKS. */
package dev.quiver.testing.security;
