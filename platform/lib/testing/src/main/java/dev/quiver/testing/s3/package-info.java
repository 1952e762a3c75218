/** A real S3-compatible server in the test JVM ({@link dev.quiver.testing.s3.S3Server}), for the S3 adapters' tests. */
package dev.quiver.testing.s3;
