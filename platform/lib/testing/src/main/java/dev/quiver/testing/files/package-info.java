/** The repository's root and temporary folders, for tests. */
package dev.quiver.testing.files;
