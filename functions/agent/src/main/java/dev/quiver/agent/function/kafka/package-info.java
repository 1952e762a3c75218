/**
 * The agent's messaging door and courier over SmallRye Reactive Messaging: envelopes read from the {@code agent-in}
 * channel and answered on {@code agent-answers}, dead letters published on {@code agent-dead-letters}, and Quiver's
 * own envelopes carried on {@code agent-out} to the topic each Kafka agent reads. The channels are on Kafka when
 * {@code quiver.agent.messaging.connector} is {@code smallrye-kafka}, and in-process topics otherwise
 * ({@link dev.quiver.agent.function.kafka.InMemoryConnector}).
 */
package dev.quiver.agent.function.kafka;
