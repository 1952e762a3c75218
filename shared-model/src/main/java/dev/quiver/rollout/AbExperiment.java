package dev.quiver.rollout;

import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An A/B test of a challenger against the champion: fixed weights for a fixed horizon, outcomes arriving later
 * by request id, and a verdict from the two-proportion z-test ({@link ProportionTest}).
 *
 * <p>Each answered request is remembered by its id with the arm and the predicted label, until its outcome
 * arrives or {@code maxPending} newer requests push it out (then its feedback is NOT_FOUND). The metric is
 * {@code accuracy} (the outcome is the true label; success when it equals the prediction) or {@code conversion}
 * (the outcome is {@code true} or {@code false}). A winner is declared only when the horizon has passed and the
 * difference is significant; the report always states the minimum detectable effect of the samples so far.
 * Thread-safe.
 */
public final class AbExperiment {

    /**
     * What the test says now; a statistic that is not defined yet (no outcome on one arm) is null.
     *
     * @param difference              the challenger's metric minus the champion's
     * @param ciLow                   the lower end of the difference's confidence interval (1 - alpha)
     * @param minimumDetectableEffect the smallest difference these sample sizes detect at the design's power
     * @param winner                  the version that won, once the horizon has passed and the difference is
     *                                significant; otherwise null
     */
    public record Report(String metric, long championSamples, Double championMetric, long challengerSamples,
                         Double challengerMetric, Double difference, Double ciLow, Double ciHigh, Double pValue,
                         Double minimumDetectableEffect, boolean horizonReached, String winner) {
    }

    /** The outcomes recorded per arm; instances' counts add up. */
    public record Counts(long championSamples, long championSuccesses, long challengerSamples,
                         long challengerSuccesses) {

        public static final Counts ZERO = new Counts(0, 0, 0, 0);

        public Counts plus(Counts o) {
            return new Counts(championSamples + o.championSamples, championSuccesses + o.championSuccesses,
                    challengerSamples + o.challengerSamples, challengerSuccesses + o.challengerSuccesses);
        }
    }

    private record Pending(boolean challenger, String predicted) {
    }

    private final String id;
    private final RolloutPolicy.AbDesign design;
    private final String championVersion;
    private final String challengerVersion;
    private final Clock clock;
    private final Instant started;
    private final Map<String, Pending> pending;
    private long nA;
    private long successA;
    private long nB;
    private long successB;

    public AbExperiment(String id, RolloutPolicy policy, String championVersion, String challengerVersion, Clock clock,
                        int maxPending) {
        this(id, policy, championVersion, challengerVersion, clock, clock.instant(), Counts.ZERO, maxPending);
    }

    /**
     * An experiment that started at {@code started} and has recorded {@code counts} so far (restored after a
     * restart; the requests still awaiting an outcome are not restored).
     */
    public AbExperiment(String id, RolloutPolicy policy, String championVersion, String challengerVersion, Clock clock,
                        Instant started, Counts counts, int maxPending) {
        Check.that(policy.strategy() == RolloutPolicy.Strategy.AB, "rollout.strategy", "an A/B experiment needs strategy ab");
        Check.that(maxPending > 0, "maxPending", "must be positive");
        this.id = id;
        this.design = policy.ab();
        this.championVersion = championVersion;
        this.challengerVersion = challengerVersion;
        this.clock = clock;
        this.started = started;
        this.nA = counts.championSamples();
        this.successA = counts.championSuccesses();
        this.nB = counts.challengerSamples();
        this.successB = counts.challengerSuccesses();
        this.pending = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Pending> eldest) {
                return size() > maxPending;
            }
        };
    }

    /** The version that answers a request with {@code key} (null: at random by weight). */
    public Rollout.Route route(String key) {
        boolean b = Assignment.challenger(id, key, design.challengerPercent() * (Assignment.BUCKETS / 100));
        return new Rollout.Route(b, b ? challengerVersion : championVersion);
    }

    /** Remembers an answered request so that its outcome can be attributed later. */
    public synchronized void answered(String requestId, Rollout.Route route, String predictedLabel) {
        pending.put(Check.required(requestId, "request_id"), new Pending(route.challenger(), predictedLabel));
    }

    /**
     * Records the outcome of an answered request: the true label (accuracy) or {@code true}/{@code false}
     * (conversion). NOT_FOUND when the request is unknown or its outcome was already recorded.
     */
    public synchronized void feedback(String requestId, Object outcome) {
        Pending p = pending.get(Check.required(requestId, "request_id"));
        if (p == null) {
            throw QuiverException.notFound("request_id", "no answered request '" + requestId
                    + "' awaits an outcome in experiment " + id + " (unknown, already recorded, or too old)");
        }
        boolean success;
        if ("conversion".equals(design.metric())) {
            Check.that(outcome instanceof Boolean, "outcome", "must be true or false for a conversion experiment");
            success = (Boolean) outcome;
        } else {
            Check.that(outcome instanceof String, "outcome", "must be the true label for an accuracy experiment");
            success = outcome.equals(p.predicted());
        }
        pending.remove(requestId);
        if (p.challenger()) {
            nB++;
            successB += success ? 1 : 0;
        } else {
            nA++;
            successA += success ? 1 : 0;
        }
    }

    /** The outcomes this instance recorded. */
    public synchronized Counts counts() {
        return new Counts(nA, successA, nB, successB);
    }

    /** The test's state over this instance's outcomes; the statistics are NaN until both arms have an outcome. */
    public Report report() {
        return report(counts());
    }

    /** The test's state over {@code all} outcomes (every instance's, added up). */
    public Report report(Counts all) {
        long nA = all.championSamples();
        long successA = all.championSuccesses();
        long nB = all.challengerSamples();
        long successB = all.challengerSuccesses();
        boolean horizon = Duration.between(started, clock.instant()).compareTo(design.horizon()) >= 0;
        if (nA == 0 || nB == 0) {
            return new Report(design.metric(), nA, nA == 0 ? null : (double) successA / nA, nB,
                    nB == 0 ? null : (double) successB / nB, null, null, null, null, null, horizon, null);
        }
        ProportionTest t = ProportionTest.compare(nA, successA, nB, successB, design.alpha(), design.power());
        String winner = horizon && t.significant() ? (t.difference() > 0 ? challengerVersion : championVersion) : null;
        return new Report(design.metric(), nA, t.pA(), nB, t.pB(), t.difference(), t.ciLow(), t.ciHigh(), t.pValue(),
                t.minimumDetectableEffect(), horizon, winner);
    }
}
