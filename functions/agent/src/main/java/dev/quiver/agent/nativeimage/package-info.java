/**
 * What a GraalVM native image of the agent function needs registered ({@link dev.quiver.agent.nativeimage.NativeRegistrations}).
 */
package dev.quiver.agent.nativeimage;
