/** The drift function's door on AWS Lambda: EventBridge events and SQS batches, through Funqy. */
package dev.quiver.drift.lambda;
