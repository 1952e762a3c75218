/**
 * The agent's A2A door and courier: the agent card at {@code /.well-known/agent-card.json}, A2A JSON-RPC
 * ({@code message/send}, {@code tasks/get}, {@code tasks/cancel}) at {@code /a2a} over the core's
 * {@link dev.quiver.agent.inbox.Inbox} and its task board, and {@link dev.quiver.agent.function.a2a.A2aCourier}, which
 * sends Quiver's envelopes to the agents the directory reaches over A2A. Envelopes travel as data parts, W3C trace
 * context as the message metadata's {@code traceparent}.
 */
package dev.quiver.agent.function.a2a;
