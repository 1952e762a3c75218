/**
 * The model store in an S3 bucket: {@link dev.quiver.s3.store.S3ModelStore}, a {@link dev.quiver.registry.ModelStore}
 * with versions in the layout of the embedded directory store and aliases as immutable generations, with its
 * {@link dev.quiver.s3.store.S3ModelStoreOptions}, the manifest a writer claims a version with, and the local cache
 * that artifacts are downloaded to and verified in.
 */
package dev.quiver.s3.store;
