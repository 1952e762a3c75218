/**
 * The drift profile store built from configuration ({@code quiver.drift.store.*}): a directory on embedded defaults,
 * Redis where instances share no disk.
 */
package dev.quiver.wiring.profiles;
