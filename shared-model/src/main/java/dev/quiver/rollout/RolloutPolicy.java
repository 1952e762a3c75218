package dev.quiver.rollout;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.quiver.error.Check;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How a model's challenger is rolled out against its champion: the strategy, the versions by alias, the canary
 * steps with the traffic and time each must see, the gates that roll back, and the A/B test's design.
 * Immutable; every value is checked on construction and a bad one names its field.
 *
 * @param strategy   canary, blue-green, shadow or ab
 * @param champion   the alias of the version serving now ({@value #CHAMPION} by default)
 * @param challenger the alias of the version rolled out ({@value #CHALLENGER} by default)
 * @param steps      canary: the challenger's share of traffic per step, in percent, increasing, ending at 100
 *                   (default 5, 25, 50, 100); blue-green: one step of 100; shadow: the share of traffic copied
 * @param minRequests the challenger requests a step must see before the gates decide
 * @param minDuration the time a step must last before the gates decide
 * @param gates      the thresholds that roll back
 * @param ab         the A/B test's design (strategy ab)
 */
public record RolloutPolicy(Strategy strategy, String champion, String challenger, List<Integer> steps,
                            long minRequests, Duration minDuration, Gates gates,
                            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                            AbDesign ab) {

    public static final String CHAMPION = "champion";
    public static final String CHALLENGER = "challenger";
    public static final List<Integer> DEFAULT_STEPS = List.of(5, 25, 50, 100);
    public static final long DEFAULT_MIN_REQUESTS = 1000;
    public static final Duration DEFAULT_MIN_DURATION = Duration.ofMinutes(10);

    /** How the challenger meets traffic. */
    public enum Strategy {
        CANARY, BLUE_GREEN, SHADOW, AB;

        @JsonValue
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @JsonCreator
        public static Strategy of(String name) {
            for (Strategy s : values()) {
                if (s.yamlName().equals(name)) {
                    return s;
                }
            }
            throw dev.quiver.error.QuiverException.badInput("rollout.strategy", "unknown strategy '" + name
                    + "'; one of canary, blue-green, shadow, ab");
        }
    }

    /**
     * Each measured on the challenger against the champion over a step's window; crossing one rolls back.
     *
     * @param maxErrorRateIncrease how much higher the challenger's error rate may be, absolute (0.01: one point)
     * @param maxP99LatencyRatio   how many times the champion's p99 latency the challenger's may be
     * @param maxPredictionDrift the largest Jensen-Shannon distance (20 bins of [0, 1]) between the arms' score
     *                             distributions: prediction drift of the challenger against the champion (default
     *                             0.1, Evidently's threshold for the distance)
     * @param minDriftSamples  scored requests each arm needs before the prediction-drift gate applies (default
     *                             1,000): on fewer, the distance is mostly sampling noise, so the gate waits
     * @param minP99LatencyIncreaseMs how many milliseconds the challenger's p99 must exceed the champion's by,
     *                             besides the ratio, to breach: below that a ratio is noise (a p99 of 1.5 ms
     *                             against 2.3 ms is 1.5 times, and nothing a caller notices)
     * @param maxScoreDivergence   the largest mean absolute difference of class probabilities on the same requests
     */
    public record Gates(Double maxErrorRateIncrease, Double maxP99LatencyRatio, Double maxScoreDivergence,
                        Double minP99LatencyIncreaseMs, Double maxPredictionDrift, Long minDriftSamples) {

        public Gates(Double maxErrorRateIncrease, Double maxP99LatencyRatio, Double maxScoreDivergence,
                     Double minP99LatencyIncreaseMs) {
            this(maxErrorRateIncrease, maxP99LatencyRatio, maxScoreDivergence, minP99LatencyIncreaseMs, null, null);
        }

        /**
         * +1 point of errors, 1.5 times the p99 (and 2 ms more), 0.1 of mean score; a gate left out (null) takes
         * its default.
         */
        public static final Gates DEFAULT = new Gates(null, null, null, null, null, null);

        public Gates {
            maxErrorRateIncrease = maxErrorRateIncrease == null ? 0.01 : maxErrorRateIncrease;
            maxP99LatencyRatio = maxP99LatencyRatio == null ? 1.5 : maxP99LatencyRatio;
            maxScoreDivergence = maxScoreDivergence == null ? 0.1 : maxScoreDivergence;
            minP99LatencyIncreaseMs = minP99LatencyIncreaseMs == null ? 2.0 : minP99LatencyIncreaseMs;
            maxPredictionDrift = maxPredictionDrift == null ? 0.1 : maxPredictionDrift;
            minDriftSamples = minDriftSamples == null ? 1000L : minDriftSamples;
            Check.that(maxPredictionDrift > 0 && maxPredictionDrift <= 1, "rollout.gates.max_prediction_drift",
                    "must be above 0 and at most 1");
            Check.that(minDriftSamples > 0, "rollout.gates.min_drift_samples", "must be positive");
            Check.that(minP99LatencyIncreaseMs >= 0, "rollout.gates.min_p99_latency_increase_ms", "must not be negative");
            Check.that(maxErrorRateIncrease >= 0 && maxErrorRateIncrease <= 1, "rollout.gates.max_error_rate_increase",
                    "must be between 0 and 1");
            Check.that(maxP99LatencyRatio >= 1, "rollout.gates.max_p99_latency_ratio", "must be at least 1");
            Check.that(maxScoreDivergence >= 0 && maxScoreDivergence <= 1, "rollout.gates.max_score_divergence",
                    "must be between 0 and 1");
        }
    }

    /**
     * Every value left out (0 or null) takes its default: 50%, 7 days, accuracy, 0.05, 0.8.
     *
     * @param challengerPercent the challenger's fixed share of traffic
     * @param horizon           how long the test runs before it is read
     * @param metric            {@code accuracy} or {@code conversion}: the proportion compared
     * @param alpha             the significance level (0.05: a 95% interval)
     * @param power             the power the minimum detectable effect is stated for
     */
    public record AbDesign(int challengerPercent, Duration horizon, String metric, double alpha, double power) {

        public static final AbDesign DEFAULT = new AbDesign(0, null, null, 0, 0);

        public AbDesign {
            // a value left out takes its default
            challengerPercent = challengerPercent == 0 ? 50 : challengerPercent;
            horizon = horizon == null ? Duration.ofDays(7) : horizon;
            metric = metric == null ? "accuracy" : metric;
            alpha = alpha == 0 ? 0.05 : alpha;
            power = power == 0 ? 0.8 : power;
            Check.that(challengerPercent > 0 && challengerPercent < 100, "rollout.ab.challenger_percent",
                    "must be between 1 and 99");
            Check.that(horizon != null && !horizon.isNegative() && !horizon.isZero(), "rollout.ab.horizon", "must be positive");
            Check.that("accuracy".equals(metric) || "conversion".equals(metric), "rollout.ab.metric",
                    "must be accuracy or conversion");
            Check.that(alpha > 0 && alpha < 0.5, "rollout.ab.alpha", "must be between 0 and 0.5");
            Check.that(power > 0.5 && power < 1, "rollout.ab.power", "must be between 0.5 and 1");
        }
    }

    public RolloutPolicy {
        Check.required(strategy, "rollout.strategy");
        champion = champion == null ? CHAMPION : Check.name(champion, "rollout.champion");
        challenger = challenger == null ? CHALLENGER : Check.name(challenger, "rollout.challenger");
        Check.that(!champion.equals(challenger), "rollout.challenger", "must differ from the champion's alias");
        if (steps == null || steps.isEmpty()) {
            steps = switch (strategy) {
                case CANARY -> DEFAULT_STEPS;
                case BLUE_GREEN, SHADOW -> List.of(100);
                case AB -> List.of(ab == null ? AbDesign.DEFAULT.challengerPercent() : ab.challengerPercent());
            };
        }
        steps = List.copyOf(steps);
        int previous = 0;
        for (int i = 0; i < steps.size(); i++) {
            int s = steps.get(i);
            Check.that(s > previous && s <= 100, "rollout.steps[" + i + "]",
                    "must be above the step before it and at most 100, was " + s);
            previous = s;
        }
        if (strategy == Strategy.CANARY) {
            Check.that(previous == 100, "rollout.steps", "a canary's last step is 100, the challenger's promotion");
        }
        if (strategy == Strategy.BLUE_GREEN) {
            Check.that(steps.equals(List.of(100)), "rollout.steps", "blue-green switches all traffic at once: one step of 100");
        }
        minRequests = minRequests == 0 ? DEFAULT_MIN_REQUESTS : minRequests;
        Check.that(minRequests > 0, "rollout.min_requests", "must be positive");
        minDuration = minDuration == null ? DEFAULT_MIN_DURATION : minDuration;
        Check.that(!minDuration.isNegative(), "rollout.min_duration", "must not be negative");
        gates = gates == null ? Gates.DEFAULT : gates;
        ab = strategy == Strategy.AB ? (ab == null ? AbDesign.DEFAULT : ab) : null;
    }

    /**
     * A policy as written in the catalog or sent over HTTP (snake_case keys, durations in ISO-8601 such as
     * {@code PT10M}); BAD_INPUT naming the field when it is not a valid policy.
     *
     * @param at where it was written, prefixed to the field a problem names
     */
    public static RolloutPolicy fromMap(java.util.Map<String, Object> written, String at) {
        try {
            return dev.quiver.json.Json.MAPPER.convertValue(written, RolloutPolicy.class);
        } catch (IllegalArgumentException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof dev.quiver.error.QuiverException q) {
                    throw dev.quiver.error.QuiverException.badInput(at + q.field(), q.reason());
                }
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
                    StringBuilder field = new StringBuilder(at).append("rollout");
                    for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : m.getPath()) {
                        field.append(r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]");
                    }
                    String why = m.getOriginalMessage() == null ? "unreadable" : m.getOriginalMessage().lines().findFirst().orElse("");
                    throw dev.quiver.error.QuiverException.badInput(field.toString(),
                            t instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException ? "unknown property"
                                    : "cannot be read: " + why);
                }
            }
            throw dev.quiver.error.QuiverException.badInput(at + "rollout", "not a rollout policy");
        }
    }

    /** A policy of {@code strategy} with every other value at its default. */
    public static RolloutPolicy of(Strategy strategy) {
        return new RolloutPolicy(strategy, null, null, null, 0, null, null, null);
    }

    /** The challenger's weight at step {@code step}, in basis points, for {@link Assignment}. */
    public int weightAt(int step) {
        return steps.get(step) * (Assignment.BUCKETS / 100);
    }
}
