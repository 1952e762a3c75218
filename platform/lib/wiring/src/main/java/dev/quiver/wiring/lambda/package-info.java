/**
 * On Lambda, state that must outlive an instance never silently lands in {@code /tmp}
 * ({@link dev.quiver.wiring.lambda.DurableStateCheck}).
 */
package dev.quiver.wiring.lambda;
