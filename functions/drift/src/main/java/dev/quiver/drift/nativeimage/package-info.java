/**
 * What a GraalVM native image of the drift function needs registered ({@link dev.quiver.drift.nativeimage.NativeRegistrations}).
 */
package dev.quiver.drift.nativeimage;
