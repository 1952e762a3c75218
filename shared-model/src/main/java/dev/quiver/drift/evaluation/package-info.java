/**
 * The drift use case over the statistics of {@code dev.quiver.drift}: {@link dev.quiver.drift.evaluation.DriftService}
 * compares raw rows (exact mode) and captured windows against each version's reference profile (sketch mode),
 * records labels that arrive later, and raises {@code model_issue_alert}s under the policy of
 * {@link dev.quiver.drift.evaluation.DriftSettings}, each once per incident.
 * It reads models and profiles through the {@code ModelStore} and {@code ProfileStore} ports, sends to the
 * {@code TeamChannel} port, and is told nothing of transports: the drift function's doors call it.
 */
package dev.quiver.drift.evaluation;
