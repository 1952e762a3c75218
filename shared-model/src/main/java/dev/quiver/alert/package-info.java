/**
 * Alerts other agents act on: how Quiver writes the team's {@code model_issue_alert} envelope
 * ({@link dev.quiver.alert.AlertAddress}: to the project manager, with the model's name, its version in
 * {@code details}, and what Quiver did in {@code issue.action}), and the {@link dev.quiver.alert.AlertSink} port of
 * the outbound channel it is emitted to (in-memory by default; a CloudEvent sink, Kafka, SQS or EventBridge in
 * production).
 */
package dev.quiver.alert;
