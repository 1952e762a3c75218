/**
 * The drift function's doors over {@link dev.quiver.drift.evaluation.DriftService}: Evidently's drift tests in exact
 * mode ({@code POST /drift}: raw rows in the request) and in sketch mode
 * ({@code GET /drift/models/{model}/versions/{version}/report}: a window the predict function captured, merged across
 * instances, against the version's reference profile), the CloudEvents and Lambda triggers, the schedule, and the
 * producer that builds the service from the function's settings.
 */
package dev.quiver.drift.function;
