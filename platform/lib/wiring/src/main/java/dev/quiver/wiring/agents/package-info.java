/**
 * The configuration of the team of agents Quiver works in ({@code quiver.agents}): where its agent directory is.
 */
package dev.quiver.wiring.agents;
