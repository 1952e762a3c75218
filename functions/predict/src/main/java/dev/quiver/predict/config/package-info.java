/** Typed configuration of the predict function. */
package dev.quiver.predict.config;
