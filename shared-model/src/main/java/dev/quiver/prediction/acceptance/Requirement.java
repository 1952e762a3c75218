package dev.quiver.prediction.acceptance;

import dev.quiver.error.Check;
import dev.quiver.registry.Catalog;

/**
 * What a model must reach under the acceptance benchmark to be accepted. Each bound is optional; a requirement
 * with neither accepts any model that answers without errors.
 *
 * @param p99Ms             the highest 99th-percentile latency of one one-row prediction, in milliseconds
 * @param requestsPerSecond the fewest one-row predictions per second the process must sustain
 */
public record Requirement(Double p99Ms, Double requestsPerSecond) {

    /** No bound stated. */
    public static final Requirement NONE = new Requirement(null, null);

    public Requirement {
        Check.that(p99Ms == null || (Double.isFinite(p99Ms) && p99Ms > 0), "latency_p99_ms",
                "must be a positive number of milliseconds, was " + p99Ms);
        Check.that(requestsPerSecond == null || (Double.isFinite(requestsPerSecond) && requestsPerSecond > 0),
                "requests_per_second", "must be a positive number, was " + requestsPerSecond);
    }

    /** This requirement, each bound it leaves unstated taken from the model's service level (null: none). */
    public Requirement orElse(Catalog.Sla sla) {
        if (sla == null) {
            return this;
        }
        return new Requirement(p99Ms != null ? p99Ms : sla.p99Ms(),
                requestsPerSecond != null ? requestsPerSecond : sla.requestsPerSecond());
    }
}
