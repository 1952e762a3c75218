/**
 * Model versions and aliases: the descriptor that makes an artifact self-describing, the store port and its
 * embedded directory implementation, the catalog that seeds a store, and the registry that keeps the live
 * sessions.
 */
package dev.quiver.registry;
