/** How {@link dev.quiver.agent.Messages} walks a JSON tree into the message records; used only by that package. */
package dev.quiver.agent.internal;
