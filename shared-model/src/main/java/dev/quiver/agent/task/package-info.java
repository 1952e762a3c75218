/** Long work the agent does for a message (benchmarking and rolling out a delivered model), as tasks whose state can be read and that can be canceled. */
package dev.quiver.agent.task;
