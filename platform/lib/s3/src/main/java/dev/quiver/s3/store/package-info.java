/**
 * The model store in an S3 bucket: {@link dev.quiver.s3.store.S3ModelStore}, a {@link dev.quiver.registry.ModelStore}
 * in the layout of the embedded directory store, with its {@link dev.quiver.s3.store.S3ModelStoreOptions}, the
 * manifest a writer claims a version with, and the local cache that artifacts are downloaded to and verified in.
 */
package dev.quiver.s3.store;
