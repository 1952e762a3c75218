/** The predict function's entry point. */
package dev.quiver.predict.app;
