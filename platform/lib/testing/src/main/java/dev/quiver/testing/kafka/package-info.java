/** A real Kafka broker in the test JVM ({@link dev.quiver.testing.kafka.KafkaBroker}), for the messaging doors' tests. */
package dev.quiver.testing.kafka;
