/**
 * Model versions and aliases: the descriptor that makes an artifact self-describing, the store port and its
 * embedded directory implementation, the catalog that seeds a store, the registry that keeps the live
 * sessions, a candidate version loaded to be measured before it is registered, and the check every model's files
 * pass before the runtime opens them.
 */
package dev.quiver.registry;
