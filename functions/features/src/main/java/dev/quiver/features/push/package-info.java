/** Online writes: Feast's {@code POST /push} door and the same function as a CloudEvent. */
package dev.quiver.features.push;
