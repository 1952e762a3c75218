/**
 * Alerts other agents act on: the {@code model_issue_alert} envelope, and the {@link dev.quiver.alert.AlertSink}
 * port of the outbound channel it is emitted to (in-memory by default; Kafka, SQS or EventBridge in production).
 */
package dev.quiver.alert;
