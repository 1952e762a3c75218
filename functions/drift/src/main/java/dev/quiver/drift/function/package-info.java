/**
 * The drift function: Evidently's drift tests in exact mode ({@code POST /drift}: raw rows in the request) and in
 * sketch mode ({@code GET /drift/models/{model}/versions/{version}/report}: a window the predict function captured,
 * merged across instances, against the version's reference profile).
 */
package dev.quiver.drift.function;
