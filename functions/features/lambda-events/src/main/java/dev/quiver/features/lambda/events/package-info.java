/** The features function's event door on AWS Lambda: pushes arriving as SQS messages, through Funqy. */
package dev.quiver.features.lambda.events;
