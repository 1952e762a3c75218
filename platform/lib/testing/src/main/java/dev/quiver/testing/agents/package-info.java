/** The team of agents a test runs the agent function in. */
package dev.quiver.testing.agents;
