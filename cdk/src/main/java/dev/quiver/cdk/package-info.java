/**
 * The AWS CDK app: the stacks Quiver deploys to AWS, derived from {@code config/} (the model catalog's rollout
 * policies and service levels) and from CDK context keys ({@link dev.quiver.cdk.Settings}).
 */
package dev.quiver.cdk;
