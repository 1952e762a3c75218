/** Events handed to a function built for AWS Lambda through Quarkus's mock event server: raw, and API Gateway's. */
package dev.quiver.testing.lambda;
