/**
 * What the agent does with every message a door hands it: read and check it, act on each message id at most once,
 * relay what Quiver sends, route what it receives to its handler (long work as a task), retry a failed action a
 * bounded number of times and dead-letter it after, and write every step to the audit log.
 */
package dev.quiver.agent.inbox;
