package dev.quiver.prediction.acceptance;

/**
 * What the acceptance benchmark measured and decided.
 *
 * @param decision accepted when every stated bound is met and no request failed, else refused
 * @param reason   why, naming each bound with its measured figure
 * @param measured the figures; null when nothing was measured (a model that does not load)
 * @param required the bounds it was held to
 */
public record AcceptanceReport(Decision decision, String reason, Measured measured, Requirement required) {

    /** Accepted or refused. */
    public enum Decision {
        ACCEPTED, REFUSED;

        /** The decision as the wire writes it. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The figures of one measurement.
     *
     * @param p50Ms             the median latency of one request, in milliseconds
     * @param p99Ms             the 99th-percentile latency, in milliseconds
     * @param requestsPerSecond successful requests per second of measurement
     * @param requests          requests answered during the measurement, failed ones included
     * @param errors            requests that failed
     * @param durationS         how long the measurement ran, in seconds
     * @param concurrency       requests in flight at once
     */
    public record Measured(double p50Ms, double p99Ms, double requestsPerSecond, long requests, long errors,
                           double durationS, int concurrency) {
    }

    public boolean accepted() {
        return decision == Decision.ACCEPTED;
    }
}
