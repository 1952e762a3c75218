package dev.quiver.rollout;

import dev.quiver.agent.Severity;
import dev.quiver.team.TeamChannel;
import dev.quiver.error.QuiverException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One rollout of a challenger version against a champion, driven by its {@link RolloutPolicy}: which version
 * answers a request, what each arm did during the current step, and what the gates decide.
 *
 * <p>Canary: the challenger takes the step's weight; once the step has seen the policy's minimum challenger
 * traffic and time, {@link #evaluate} rolls back on the first breached gate (weight to 0, the champion serves
 * all, the event says what was measured against which threshold), or advances, and at the last step promotes.
 * Blue-green is a canary of one step of 100%: the switch is one volatile write, and requests already running
 * finish on the version they started with. Shadow routes everything to the champion and copies a share of the
 * traffic to the challenger ({@link #shadows}); A/B holds fixed weights and collects outcomes
 * ({@link #feedback}). For shadow and A/B the gates still roll back, but only a person (or an agent) promotes.
 *
 * <p>What the rollout has decided is its {@link State}, replaced whole on every change with the next revision,
 * so that instances sharing a {@link RolloutStore} can tell newer from older. What it measured during the
 * current step is this instance's {@link Tally}; the gates decide on every instance's tallies added up.
 * Assignment is sticky by key ({@link Assignment}). Thread-safe: routing reads one volatile field; changes are
 * synchronized.
 */
public final class Rollout {

    /** Where a rollout stands. */
    public enum Status {
        RUNNING, PAUSED, ROLLED_BACK, PROMOTED;

        /** Rolled back or promoted: the rollout changes nothing any more. */
        public boolean finished() {
            return this == ROLLED_BACK || this == PROMOTED;
        }
    }

    /** What {@link #route} chose. */
    public record Route(boolean challenger, String version) {
    }

    /**
     * What a rollout has decided: shared by every instance, saved on every change.
     *
     * @param revision          increases by one with every change
     * @param id                the rollout's identity, {@code model/name}; also the salt of its assignment
     * @param weightBasisPoints the challenger's share of traffic now (0 for shadow)
     * @param started           when the rollout started
     * @param stepStarted       when the current step started; a step's counters belong to it
     * @param events            the audit log, oldest first
     */
    public record State(long revision, String id, RolloutPolicy policy, String championVersion,
                        String challengerVersion, Status status, int step, int weightBasisPoints, Instant started,
                        Instant stepStarted, List<RolloutEvent> events) {

        public State {
            events = List.copyOf(events);
        }

        /** The name of the window the current step's counters are recorded under. */
        public String window() {
            return "step-" + step + "-" + stepStarted.toEpochMilli();
        }

        /** The model the rollout belongs to. */
        public String model() {
            return id.substring(0, id.indexOf('/'));
        }
    }

    /**
     * What one instance recorded during one step ({@code window}): per arm requests, errors, latency and
     * scores; for shadow the agreement; for A/B the outcomes. Tallies of the same window add up.
     */
    public record Tally(String window, ArmWindow.Snapshot champion, ArmWindow.Snapshot challenger,
                        ShadowAgreement.Snapshot shadow, AbExperiment.Counts ab) {
    }

    /** The largest number of answered A/B requests remembered while they wait for their outcome. */
    public static final int MAX_PENDING_OUTCOMES = 1_000_000;

    private final Clock clock;
    private final Route championRoute;
    private final Route challengerRoute;
    private volatile TeamChannel alerts = TeamChannel.NONE;
    private volatile State state;

    private String window;
    private ArmWindow champion;
    private ArmWindow challenger;
    private ShadowAgreement shadow;
    private AbExperiment ab;

    /** Starts a rollout of {@code challengerVersion} against {@code championVersion}. */
    public Rollout(String id, RolloutPolicy policy, String championVersion, String challengerVersion, Clock clock) {
        this(start(id, policy, championVersion, challengerVersion, clock.instant()), null, clock);
    }

    /** Restores a saved rollout, with this instance's tally of the current step when it has one. */
    public Rollout(State s, Tally own, Clock clock) {
        if (!s.id().contains("/")) {
            throw QuiverException.badInput("rollout.id", "must be model/name, was '" + s.id() + "'");
        }
        this.clock = clock;
        this.state = s;
        this.championRoute = new Route(false, s.championVersion());
        this.challengerRoute = new Route(true, s.challengerVersion());
        resetTally(own != null && own.window().equals(s.window()) ? own : null);
    }

    private static State start(String id, RolloutPolicy policy, String championVersion, String challengerVersion,
                               Instant now) {
        int weight = policy.strategy() == RolloutPolicy.Strategy.SHADOW ? 0 : policy.weightAt(0);
        return new State(0, id, policy, championVersion, challengerVersion, Status.RUNNING, 0, weight, now, now,
                List.of(new RolloutEvent(now, "policy", "none", describe(Status.RUNNING, 0, weight, policy),
                        policy.strategy().yamlName() + " of " + challengerVersion + " against " + championVersion
                                + " started")));
    }

    private void resetTally(Tally t) {
        State s = state;
        window = s.window();
        champion = t == null ? new ArmWindow() : new ArmWindow(t.champion());
        challenger = t == null ? new ArmWindow() : new ArmWindow(t.challenger());
        shadow = t == null || t.shadow() == null ? new ShadowAgreement() : new ShadowAgreement(t.shadow());
        ab = s.policy().strategy() != RolloutPolicy.Strategy.AB ? null
                : new AbExperiment(s.id(), s.policy(), s.championVersion(), s.challengerVersion(), clock, s.started(),
                t == null || t.ab() == null ? AbExperiment.Counts.ZERO : t.ab(), MAX_PENDING_OUTCOMES);
    }

    /** What the rollout has decided, as of now. */
    public State state() {
        return state;
    }

    /** This instance's counters for the current step. */
    public synchronized Tally tally() {
        return new Tally(window, champion.snapshot(), challenger.snapshot(), shadow.snapshot(),
                ab == null ? null : ab.counts());
    }

    /** Where a gate's rollback sends its {@code model_issue_alert}. */
    public void alertTo(TeamChannel sink) {
        this.alerts = sink;
    }

    /** Which version answers a request with {@code key} (null: at random by weight). */
    public Route route(String key) {
        State s = state;
        return Assignment.challenger(s.id(), key, s.weightBasisPoints()) ? challengerRoute : championRoute;
    }

    /** For shadow: whether a copy of the request with {@code key} goes to the challenger. */
    public boolean shadows(String key) {
        State s = state;
        return s.policy().strategy() == RolloutPolicy.Strategy.SHADOW && s.status() == Status.RUNNING
                && Assignment.challenger(s.id(), key, s.policy().weightAt(0));
    }

    /** Records an answered (or failed) request of one arm. {@code score}: the positive class's probability, or NaN. */
    public void record(boolean onChallenger, long latencyNanos, boolean error, double score) {
        ArmWindow w;
        synchronized (this) {
            w = onChallenger ? challenger : champion;
        }
        w.record(latencyNanos, error, score);
    }

    /**
     * Records a shadow copy the challenger answered, row by row against the champion's answers to the same rows.
     *
     * @param championProbabilities   per row the champion's class probabilities
     * @param challengerProbabilities per row the challenger's, in the same class order
     */
    public void recordShadow(List<String> championLabels, List<double[]> championProbabilities,
                             List<String> challengerLabels, List<double[]> challengerProbabilities, long latencyNanos,
                             double score) {
        ShadowAgreement a;
        synchronized (this) {
            a = shadow;
        }
        for (int r = 0; r < championLabels.size(); r++) {
            a.record(championLabels.get(r), championProbabilities.get(r), challengerLabels.get(r),
                    challengerProbabilities.get(r));
        }
        record(true, latencyNanos, false, score);
    }

    /** Records a shadow copy the challenger failed on (counted, never surfaced to the caller). */
    public void recordShadowFailure(long latencyNanos) {
        ShadowAgreement a;
        synchronized (this) {
            a = shadow;
        }
        a.recordFailure();
        record(true, latencyNanos, true, Double.NaN);
    }

    /** For A/B: remembers an answered row so that its outcome can be attributed when it arrives. */
    public void answered(String outcomeId, Route route, String predictedLabel) {
        AbExperiment e;
        synchronized (this) {
            e = ab;
        }
        if (e != null) {
            e.answered(outcomeId, route, predictedLabel);
        }
    }

    /** For A/B: records the outcome of an answered row. */
    public void feedback(String outcomeId, Object outcome) {
        AbExperiment e;
        synchronized (this) {
            e = ab;
        }
        if (e == null) {
            throw QuiverException.badInput("outcome", "rollout " + state.id() + " is a "
                    + state.policy().strategy().yamlName() + ", not an A/B test; outcomes go to A/B tests only");
        }
        e.feedback(outcomeId, outcome);
    }

    /** For A/B: the verdict over {@code tallies} (every instance's, this one's included); null otherwise. */
    public AbExperiment.Report abReport(List<Tally> tallies) {
        AbExperiment e;
        synchronized (this) {
            e = ab;
        }
        if (e == null) {
            return null;
        }
        AbExperiment.Counts all = AbExperiment.Counts.ZERO;
        for (Tally t : tallies) {
            if (t.window().equals(window) && t.ab() != null) {
                all = all.plus(t.ab());
            }
        }
        return e.report(all);
    }

    /** Applies the gates to this instance's counters alone (a single instance). */
    public boolean evaluate() {
        return evaluate(List.of(tally()));
    }

    /**
     * Applies the gates when the step has seen enough, over {@code tallies} (every instance's for the current
     * step, this one's included; others' are ignored). Returns whether the state changed.
     */
    public synchronized boolean evaluate(List<Tally> tallies) {
        State s = state;
        if (s.status() != Status.RUNNING) {
            return false;
        }
        List<ArmWindow.Snapshot> ch = new ArrayList<>();
        List<ArmWindow.Snapshot> cm = new ArrayList<>();
        for (Tally t : tallies) {
            if (t.window().equals(s.window())) {
                ch.add(t.challenger());
                cm.add(t.champion());
            }
        }
        ArmWindow challengerAll = ArmWindow.merged(ch);
        ArmWindow championAll = ArmWindow.merged(cm);
        Instant now = clock.instant();
        RolloutPolicy p = s.policy();
        if (challengerAll.requests() < p.minRequests() || Duration.between(s.stepStarted(), now).compareTo(p.minDuration()) < 0) {
            return false;
        }
        String breach = breach(p.gates(), championAll, challengerAll);
        if (breach != null) {
            change(Status.ROLLED_BACK, s.step(), 0, false, "gates", breach);
            alertRollback(s, Severity.HIGH, "rolled back at step " + (s.step() + 1) + ": " + breach, now);
            return true;
        }
        if (p.strategy() == RolloutPolicy.Strategy.SHADOW || p.strategy() == RolloutPolicy.Strategy.AB) {
            return false;
        }
        if (s.step() == p.steps().size() - 1) {
            change(Status.PROMOTED, s.step(), s.weightBasisPoints(), false, "gates", "every gate held at the last step");
        } else {
            change(Status.RUNNING, s.step() + 1, p.weightAt(s.step() + 1), true, "gates",
                    "every gate held over the step's " + challengerAll.requests() + " challenger requests");
        }
        return true;
    }

    /** Rolls back: the challenger's weight goes to 0 and the champion serves all. False when already finished. */
    public synchronized boolean rollBack(String by, String why) {
        if (state.status().finished()) {
            return false;
        }
        change(Status.ROLLED_BACK, state.step(), 0, false, by, why);
        return true;
    }

    /**
     * Tells the project manager of a rollback {@code by} someone, as a gate's rollback does, at severity medium since
     * a person chose it; called once the rollback is saved.
     */
    void alertRolledBack(String by, String why) {
        State s = state;
        alertRollback(s, Severity.MEDIUM, "rolled back at step " + (s.step() + 1) + " by " + by + ": " + why,
                clock.instant());
    }

    /** The {@code model_issue_alert} of a rollback: an incident of its own, so a correlation id of its own. */
    private void alertRollback(State s, Severity severity, String what, Instant at) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rollout", s.id());
        details.put("champion_version", s.championVersion());
        details.put("step", s.step() + 1);
        alerts.send(alerts.address().alert(severity, s.model(), s.challengerVersion(),
                s.policy().strategy().yamlName() + " of version " + s.challengerVersion() + " " + what, at,
                "Rolled back " + s.model() + " version " + s.challengerVersion() + ": traffic is back on version "
                        + s.championVersion(), details, UUID.randomUUID().toString()));
    }

    /** Promotes the challenger now, whatever the step. False when already finished. */
    public synchronized boolean promote(String by, String why) {
        if (state.status().finished()) {
            return false;
        }
        change(Status.PROMOTED, state.step(), Assignment.BUCKETS, false, by, why);
        return true;
    }

    /** Holds the current weights and stops the gates (and shadow copies) until {@link #resume}. */
    public synchronized boolean pause(String by, String why) {
        if (state.status() != Status.RUNNING) {
            return false;
        }
        change(Status.PAUSED, state.step(), state.weightBasisPoints(), false, by, why);
        return true;
    }

    /** Lets a paused rollout go on from the step it stood at. */
    public synchronized boolean resume(String by, String why) {
        if (state.status() != Status.PAUSED) {
            return false;
        }
        change(Status.RUNNING, state.step(), state.weightBasisPoints(), false, by, why);
        return true;
    }

    /**
     * Takes a newer state decided elsewhere (another instance, through the store). A new step starts this
     * instance's counters afresh. False when {@code newer} is not newer.
     */
    public synchronized boolean adopt(State newer) {
        if (!newer.id().equals(state.id()) || newer.revision() <= state.revision()) {
            return false;
        }
        state = newer;
        if (!newer.window().equals(window)) {
            resetTally(null);
        }
        return true;
    }

    private void change(Status status, int step, int weight, boolean newStep, String by, String why) {
        State s = state;
        Instant now = clock.instant();
        List<RolloutEvent> events = new ArrayList<>(s.events());
        events.add(new RolloutEvent(now, by, describe(s.status(), s.step(), s.weightBasisPoints(), s.policy()),
                describe(status, step, weight, s.policy()), why));
        state = new State(s.revision() + 1, s.id(), s.policy(), s.championVersion(), s.challengerVersion(), status,
                step, weight, s.started(), newStep ? now : s.stepStarted(), events);
        if (newStep) {
            resetTally(null);
        }
    }

    /** The first breached gate, described with what was measured against which threshold; or null. */
    private static String breach(RolloutPolicy.Gates g, ArmWindow champion, ArmWindow challenger) {
        double errorIncrease = challenger.errorRate() - champion.errorRate();
        if (errorIncrease > g.maxErrorRateIncrease()) {
            return String.format(Locale.ROOT, "error rate %.4f against the champion's %.4f: +%.4f is above the allowed +%.4f",
                    challenger.errorRate(), champion.errorRate(), errorIncrease, g.maxErrorRateIncrease());
        }
        long chP99 = challenger.p99();
        long cmP99 = champion.p99();
        if (cmP99 > 0 && chP99 > g.maxP99LatencyRatio() * cmP99 && chP99 - cmP99 > g.minP99LatencyIncreaseMs() * 1e6) {
            return String.format(Locale.ROOT, "p99 latency %.3f ms against the champion's %.3f ms: %.2fx is above the allowed %.2fx"
                            + " (and %.3f ms more, above the %.3f ms that counts)", chP99 / 1e6, cmP99 / 1e6,
                    (double) chP99 / cmP99, g.maxP99LatencyRatio(), (chP99 - cmP99) / 1e6, g.minP99LatencyIncreaseMs());
        }
        double divergence = Math.abs(challenger.meanScore() - champion.meanScore());
        if (!Double.isNaN(divergence) && divergence > g.maxScoreDivergence()) {
            return String.format(Locale.ROOT, "mean score %.4f against the champion's %.4f: a divergence of %.4f is above the allowed %.4f",
                    challenger.meanScore(), champion.meanScore(), divergence, g.maxScoreDivergence());
        }
        if (challenger.scored() >= g.minDriftSamples() && champion.scored() >= g.minDriftSamples()) {
            double drift = challenger.scoreDrift(champion);
            if (!Double.isNaN(drift) && drift >= g.maxPredictionDrift()) {
                return String.format(Locale.ROOT, "prediction drift: the Jensen-Shannon distance between the challenger's"
                        + " and the champion's score distributions is %.4f, at or above the allowed %.4f", drift,
                        g.maxPredictionDrift());
            }
        }
        return null;
    }

    private static String describe(Status status, int step, int weight, RolloutPolicy policy) {
        return status.name().toLowerCase(Locale.ROOT) + " at step " + (step + 1) + "/" + policy.steps().size()
                + ", challenger weight " + weight / 100.0 + "%";
    }

    public Status status() {
        return state.status();
    }

    public int step() {
        return state.step();
    }

    /** The challenger's current weight in basis points. */
    public int weightBasisPoints() {
        return state.weightBasisPoints();
    }

    public List<RolloutEvent> events() {
        return state.events();
    }
}
