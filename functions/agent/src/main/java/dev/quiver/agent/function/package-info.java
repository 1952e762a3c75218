/**
 * The agent function's adapters: the doors that hand messages to the core's {@link dev.quiver.agent.inbox.Inbox}
 * (Funqy per action over HTTP and CloudEvents), the couriers that carry Quiver's envelopes out, the predict
 * function's rollout and candidate APIs as the core's ports, and the wiring of them all from configuration.
 */
package dev.quiver.agent.function;
