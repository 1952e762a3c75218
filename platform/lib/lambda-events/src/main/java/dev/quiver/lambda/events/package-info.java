/**
 * What the functions' event doors on AWS Lambda share: the AWS event classes kept in AWS's JSON names
 * ({@link dev.quiver.lambda.events.AwsJsonNames}), the EventBridge envelope ({@link dev.quiver.lambda.events.EventBridgeEvent})
 * and the S3 event notification ({@link dev.quiver.lambda.events.S3Notification}). The SQS batch itself, with its
 * {@code batchItemFailures}, is Funqy's advanced event handling
 * ({@code quarkus.funqy.amazon-lambda.advanced-event-handling.*}). A door marked {@link dev.quiver.lambda.events.SpansBeforeAnswer}
 * exports each event's spans before its answer returns.
 */
package dev.quiver.lambda.events;
