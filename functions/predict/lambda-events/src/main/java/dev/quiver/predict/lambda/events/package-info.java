/**
 * The predict function's event doors on AWS Lambda: batch scoring of S3 objects of rows (S3 event notifications,
 * EventBridge "Object Created" events, either through SQS) and of SQS messages that are prediction requests, the
 * predictions written to S3 as JSON Lines.
 */
package dev.quiver.predict.lambda.events;
