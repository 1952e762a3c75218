/** The predict function's Funqy door: named-feature rows over HTTP, CloudEvents and Lambda. */
package dev.quiver.predict.prediction;
