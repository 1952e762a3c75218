/**
 * Who may call what: the roles ({@link dev.quiver.function.security.Role}), the route table of each function
 * ({@link dev.quiver.function.security.AccessRules}), the credentials a caller presents (API keys and JWTs, as
 * bearer tokens) and the guard that checks them, with the media type and size of every body, before any door runs
 * ({@link dev.quiver.function.security.HttpGuard}).
 */
package dev.quiver.function.security;
