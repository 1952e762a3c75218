/**
 * The model store a function opens: a directory, or an S3 bucket shared by its instances
 * ({@link dev.quiver.wiring.models.ModelStores}).
 */
package dev.quiver.wiring.models;
