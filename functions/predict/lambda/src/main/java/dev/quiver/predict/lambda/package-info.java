/**
 * What the predict function needs to run as an AWS Lambda behind API Gateway HTTP API, beyond the predict
 * module's own code: only the JSON naming of API Gateway's events and responses.
 */
package dev.quiver.predict.lambda;
