/** What the functions' HTTPS doors on AWS Lambda share: the callers API Gateway's IAM authorizer vouches for. */
package dev.quiver.lambda.http;
