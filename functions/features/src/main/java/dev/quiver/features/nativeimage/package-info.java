/** What a GraalVM native image of the features function must register for reflection. */
package dev.quiver.features.nativeimage;
