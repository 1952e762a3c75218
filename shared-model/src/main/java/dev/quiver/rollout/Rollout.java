package dev.quiver.rollout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One rollout of a challenger version against a champion, driven by its {@link RolloutPolicy}: which version
 * answers a request, what each arm did during the current step, and what the gates decide.
 *
 * <p>Canary: the challenger takes the step's weight; once the step has seen the policy's minimum challenger
 * traffic and time, {@link #evaluate} rolls back on the first breached gate (weight to 0, the champion serves
 * all, the event says what was measured against which threshold), or advances, and at the last step promotes.
 * Blue-green is a canary of one step of 100%. Assignment is sticky by key ({@link Assignment}). Thread-safe: the
 * routing reads one volatile weight; state changes are synchronized.
 */
public final class Rollout {

    /** Where a rollout stands. */
    public enum Status { RUNNING, PAUSED, ROLLED_BACK, PROMOTED }

    /** What {@link #route} chose. */
    public record Route(boolean challenger, String version) {
    }

    /**
     * Everything a rollout holds, to be saved and restored across restarts: the policy, the versions, where it
     * stands, the current step's counters per arm, and the audit log.
     */
    public record State(String id, RolloutPolicy policy, String championVersion, String challengerVersion,
                        Status status, int step, int weightBasisPoints, Instant stepStarted,
                        ArmWindow.Snapshot champion, ArmWindow.Snapshot challenger, List<RolloutEvent> events) {
    }

    private final String id;
    private final RolloutPolicy policy;
    private final String championVersion;
    private final String challengerVersion;
    private final Clock clock;
    private final List<RolloutEvent> events = new ArrayList<>();
    private volatile dev.quiver.alert.AlertSink alerts = dev.quiver.alert.AlertSink.NONE;

    private volatile int weightBasisPoints;
    private Status status = Status.RUNNING;
    private int step;
    private Instant stepStarted;
    private ArmWindow champion = new ArmWindow();
    private ArmWindow challenger = new ArmWindow();

    public Rollout(String id, RolloutPolicy policy, String championVersion, String challengerVersion, Clock clock) {
        this.id = id;
        this.policy = policy;
        this.championVersion = championVersion;
        this.challengerVersion = challengerVersion;
        this.clock = clock;
        this.stepStarted = clock.instant();
        this.weightBasisPoints = policy.strategy() == RolloutPolicy.Strategy.SHADOW ? 0 : policy.weightAt(0);
        events.add(new RolloutEvent(stepStarted, "policy", "none", describe(), "rollout of " + challengerVersion
                + " against " + championVersion + " started"));
    }

    /** Restores a saved rollout, counters and audit log included. */
    public Rollout(State s, Clock clock) {
        this.id = s.id();
        this.policy = s.policy();
        this.championVersion = s.championVersion();
        this.challengerVersion = s.challengerVersion();
        this.clock = clock;
        this.status = s.status();
        this.step = s.step();
        this.weightBasisPoints = s.weightBasisPoints();
        this.stepStarted = s.stepStarted();
        this.champion = new ArmWindow(s.champion());
        this.challenger = new ArmWindow(s.challenger());
        this.events.addAll(s.events());
    }

    /** A consistent copy of everything the rollout holds. */
    public synchronized State state() {
        return new State(id, policy, championVersion, challengerVersion, status, step, weightBasisPoints, stepStarted,
                champion.snapshot(), challenger.snapshot(), List.copyOf(events));
    }

    /** Where a gate's rollback sends its {@code model_issue_alert}. */
    public void alertTo(dev.quiver.alert.AlertSink sink) {
        this.alerts = sink;
    }

    /** Which version answers a request with {@code key} (null: at random by weight). */
    public Route route(String key) {
        boolean toChallenger = Assignment.challenger(id, key, weightBasisPoints);
        return new Route(toChallenger, toChallenger ? challengerVersion : championVersion);
    }

    /** Records an answered (or failed) request of one arm. {@code score}: the positive class's probability, or NaN. */
    public void record(boolean onChallenger, long latencyNanos, boolean error, double score) {
        ArmWindow w;
        synchronized (this) {
            w = onChallenger ? challenger : champion;
        }
        w.record(latencyNanos, error, score);
    }

    /** Applies the gates when the step has seen enough; returns the status after. */
    public synchronized Status evaluate() {
        if (status != Status.RUNNING) {
            return status;
        }
        Instant now = clock.instant();
        if (challenger.requests() < policy.minRequests() || Duration.between(stepStarted, now).compareTo(policy.minDuration()) < 0) {
            return status;
        }
        String breach = breach();
        if (breach != null) {
            rollBack("gates", breach);
            String model = id.contains("/") ? id.substring(0, id.indexOf('/')) : id;
            alerts.emit(dev.quiver.alert.ModelIssueAlert.of("high", model + ":" + challengerVersion,
                    policy.strategy().yamlName() + " of version " + challengerVersion + " rolled back at step " + (step + 1)
                            + ": " + breach, now, "rolled_back",
                    java.util.Map.of("rollout", id, "champion_version", championVersion, "step", step + 1)));
        } else if (step == policy.steps().size() - 1) {
            String from = describe();
            status = Status.PROMOTED;
            events.add(new RolloutEvent(now, "gates", from, describe(), "every gate held at the last step"));
        } else {
            String from = describe();
            step++;
            weightBasisPoints = policy.weightAt(step);
            startStep(now);
            events.add(new RolloutEvent(now, "gates", from, describe(), "every gate held over "
                    + "the step's " + policy.minRequests() + "+ challenger requests"));
        }
        return status;
    }

    /** Rolls back by hand or by a gate: the challenger's weight goes to 0 and the champion serves all. */
    public synchronized void rollBack(String by, String why) {
        if (status == Status.ROLLED_BACK || status == Status.PROMOTED) {
            return;
        }
        String from = describe();
        weightBasisPoints = 0;
        status = Status.ROLLED_BACK;
        events.add(new RolloutEvent(clock.instant(), by, from, describe(), why));
    }

    /** The first breached gate, described with what was measured against which threshold; or null. */
    private String breach() {
        RolloutPolicy.Gates g = policy.gates();
        double errorIncrease = challenger.errorRate() - champion.errorRate();
        if (errorIncrease > g.maxErrorRateIncrease()) {
            return String.format("error rate %.4f against the champion's %.4f: +%.4f is above the allowed +%.4f",
                    challenger.errorRate(), champion.errorRate(), errorIncrease, g.maxErrorRateIncrease());
        }
        long chP99 = challenger.p99();
        long cmP99 = champion.p99();
        if (cmP99 > 0 && chP99 > g.maxP99LatencyRatio() * cmP99) {
            return String.format("p99 latency %.3f ms against the champion's %.3f ms: %.2fx is above the allowed %.2fx",
                    chP99 / 1e6, cmP99 / 1e6, (double) chP99 / cmP99, g.maxP99LatencyRatio());
        }
        double divergence = Math.abs(challenger.meanScore() - champion.meanScore());
        if (!Double.isNaN(divergence) && divergence > g.maxScoreDivergence()) {
            return String.format("mean score %.4f against the champion's %.4f: a divergence of %.4f is above the allowed %.4f",
                    challenger.meanScore(), champion.meanScore(), divergence, g.maxScoreDivergence());
        }
        return null;
    }

    private void startStep(Instant now) {
        stepStarted = now;
        champion = new ArmWindow();
        challenger = new ArmWindow();
    }

    private String describe() {
        return status.name().toLowerCase(java.util.Locale.ROOT) + " at step " + (step + 1) + "/" + policy.steps().size()
                + ", challenger weight " + weightBasisPoints / 100.0 + "%";
    }

    public synchronized Status status() {
        return status;
    }

    public synchronized int step() {
        return step;
    }

    /** The challenger's current weight in basis points. */
    public int weightBasisPoints() {
        return weightBasisPoints;
    }

    public synchronized List<RolloutEvent> events() {
        return List.copyOf(events);
    }
}
