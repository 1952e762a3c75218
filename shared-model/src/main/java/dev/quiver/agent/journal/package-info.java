/**
 * The agent's audit log: every message in and out and every action taken, kept across restarts and listed with
 * filters (model, correlation id, action).
 */
package dev.quiver.agent.journal;
