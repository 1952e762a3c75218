/**
 * What the functions' HTTPS doors on AWS Lambda share: the callers API Gateway's IAM authorizer vouches for, and the
 * export of each invocation's spans before its answer returns.
 */
package dev.quiver.lambda.http;
