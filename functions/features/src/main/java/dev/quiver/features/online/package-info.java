/** Online reads: Feast's {@code POST /get-online-features} door. */
package dev.quiver.features.online;
