package dev.quiver.rollout;

import dev.quiver.team.TeamChannel;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.inference.ServedModel;
import dev.quiver.registry.ModelRegistry;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every model's rollout in this instance, kept in step with the other instances through a {@link RolloutStore}.
 *
 * <p>Routing ({@link #routing}) is one map read. Changes by hand ({@link #start}, {@link #promote},
 * {@link #pause}, {@link #resume}, {@link #rollBack}) are saved at once, compared-and-set on the stored
 * revision, so that two instances never both decide: the loser gets a CONFLICT and the winner's state.
 * {@link #tick}, called every second or so, saves this instance's counters, reads the other instances'
 * counters and decisions, applies the gates over all of them, and saves what they decide. A promotion moves the
 * champion alias to the challenger's version in the registry.
 */
public final class Rollouts {

    /** One arm's counters over the current step, every instance's added up. */
    public record ArmStats(String version, long requests, long errors, Double errorRate, Double p99Ms,
                           Double meanScore) {
    }

    /** Shadow agreement over the current step, every instance's added up. */
    public record Agreement(long rows, Double labelAgreement, Double meanAbsProbabilityDiff, long failures) {
    }

    /** What a rollout is, has decided and has measured, for people and agents to read. */
    public record View(Rollout.State rollout, ArmStats champion, ArmStats challenger, Agreement shadow,
                       AbExperiment.Report ab) {
    }

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final ModelRegistry registry;
    private final RolloutStore store;
    private final Map<String, RolloutPolicy> configured;
    private final TeamChannel alerts;
    private final Clock clock;
    private final String instance;
    private final ConcurrentHashMap<String, Rollout> rollouts = new ConcurrentHashMap<>();

    /**
     * @param configured each model's policy from the catalog, used when a start names none
     * @param instance   this instance's name in the store, unique among the instances sharing it
     */
    public Rollouts(ModelRegistry registry, RolloutStore store, Map<String, RolloutPolicy> configured,
                    TeamChannel alerts, Clock clock, String instance) {
        this.registry = registry;
        this.store = store;
        this.configured = Map.copyOf(configured);
        this.alerts = alerts;
        this.clock = clock;
        this.instance = Check.name(instance, "instance");
        for (String model : store.models()) {
            store.load(model).ifPresent(s -> rollouts.put(model, restored(s, null)));
        }
    }

    /** The rollout that routes the model's requests now, or null: none, or it has finished. */
    public Rollout routing(String model) {
        Rollout r = rollouts.get(model);
        return r == null || r.status().finished() ? null : r;
    }

    /** The policy a start without one uses, from the catalog; empty when the model declares none. */
    public Optional<RolloutPolicy> configured(String model) {
        return Optional.ofNullable(configured.get(model));
    }

    /**
     * Starts a rollout of the model's challenger against its champion (the policy's aliases), both loaded and
     * warmed first. CONFLICT while another rollout of the model is running or paused.
     *
     * @param policy the policy, or null for the catalog's
     */
    public synchronized View start(String model, RolloutPolicy policy, String by) {
        Check.required(model, "model");
        RolloutPolicy p = policy != null ? policy : configured.get(model);
        if (p == null) {
            throw QuiverException.badInput("policy", "model '" + model + "' declares no rollout policy in the catalog;"
                    + " send one in the body");
        }
        Rollout current = current(model);
        if (current != null && !current.status().finished()) {
            throw QuiverException.conflict("model", "rollout " + current.state().id() + " of model '" + model + "' is "
                    + current.status().name().toLowerCase(java.util.Locale.ROOT)
                    + "; promote or roll it back before starting another");
        }
        ServedModel champion = registry.resolve(model, null, p.champion());
        ServedModel challenger = registry.resolve(model, null, p.challenger());
        Check.that(!champion.key().version().equals(challenger.key().version()), "policy.challenger",
                "alias '" + p.challenger() + "' points at version " + challenger.key().version()
                        + ", the champion's own; point it at the version to roll out");
        Check.that(sameClasses(champion, challenger), "policy.challenger", "version " + challenger.key().version()
                + " predicts classes " + challenger.descriptor().labels() + ", the champion "
                + champion.descriptor().labels() + "; a rollout compares versions of the same task");
        Instant now = clock.instant();
        String id = model + "/" + challenger.key().version() + "-" + ID_TIME.format(now);
        Rollout r = new Rollout(id, p, champion.key().version(), challenger.key().version(), clock);
        Rollout.State s = r.state();
        Rollout.State first = new Rollout.State(s.revision(), s.id(), s.policy(), s.championVersion(),
                s.challengerVersion(), s.status(), s.step(), s.weightBasisPoints(), s.started(), s.stepStarted(),
                List.of(new RolloutEvent(now, by, s.events().get(0).from(), s.events().get(0).to(),
                        s.events().get(0).why())));
        Rollout started = restored(first, null);
        if (!store.replace(model, current == null ? null : current.state(), first)) {
            reload(model);
            throw QuiverException.conflict("model", "another instance changed the rollout of model '" + model
                    + "' at the same moment; read it and try again");
        }
        rollouts.put(model, started);
        return view(model, started);
    }

    public View promote(String model, String by, String why) {
        return change(model, "promote", r -> r.promote(by, why));
    }

    public View pause(String model, String by, String why) {
        return change(model, "pause", r -> r.pause(by, why));
    }

    public View resume(String model, String by, String why) {
        return change(model, "resume", r -> r.resume(by, why));
    }

    public View rollBack(String model, String by, String why) {
        View v = change(model, "roll back", r -> r.rollBack(by, why));
        // told only once the rollback is saved: a rollback another instance's decision refused is no incident
        rollouts.get(model).alertRolledBack(by, why);
        return v;
    }

    private interface Action {
        boolean apply(Rollout r);
    }

    private synchronized View change(String model, String verb, Action action) {
        Rollout r = current(model);
        if (r == null) {
            throw QuiverException.notFound("model", "model '" + model + "' has no rollout");
        }
        Rollout.State before = r.state();
        if (!action.apply(r)) {
            throw QuiverException.conflict("status", "cannot " + verb + " rollout " + before.id() + ": it is "
                    + before.status().name().toLowerCase(java.util.Locale.ROOT));
        }
        commit(model, r, before);
        return view(model, rollouts.get(model));
    }

    /** For A/B tests: the outcome of a row answered under the model's rollout. */
    public void feedback(String model, String requestId, int row, Object outcome) {
        // the answered rows wait in this instance's rollout: no need to read the store for each outcome
        Rollout r = rollouts.get(Check.name(model, "model"));
        if (r == null) {
            r = current(model);
        }
        if (r == null) {
            throw QuiverException.notFound("model", "model '" + model + "' has no rollout");
        }
        Check.that(row >= 0, "row", "must not be negative");
        r.feedback(outcomeId(requestId, row), outcome);
    }

    /** The key an answered row waits for its outcome under. */
    public static String outcomeId(String requestId, int row) {
        return row == 0 ? requestId : requestId + "#" + row;
    }

    /** The model's rollout with every instance's counters; NOT_FOUND when it has none. */
    public View view(String model) {
        Rollout r = current(model);
        if (r == null) {
            throw QuiverException.notFound("model", "model '" + model + "' has no rollout");
        }
        return view(model, r);
    }

    /**
     * Saves this instance's counters, takes in what other instances decided, applies the gates over every
     * instance's counters and saves the decision. Never throws: a store that cannot be reached is retried at
     * the next tick.
     */
    public synchronized void tick() {
        TreeSet<String> models = new TreeSet<>(rollouts.keySet());
        models.addAll(store.models());
        for (String model : models) {
            Rollout r = current(model);
            if (r == null || r.status() != Rollout.Status.RUNNING) {
                continue;
            }
            store.saveTally(model, instance, r.tally());
            Rollout.State before = r.state();
            if (r.evaluate(List.copyOf(store.tallies(model, before.window()).values()))) {
                commit(model, r, before);
            }
        }
    }

    /** The model's rollout after taking in any newer decision from the store; null when it has none. */
    private Rollout current(String model) {
        Check.name(model, "model");
        Rollout local = rollouts.get(model);
        Rollout.State stored = store.load(model).orElse(null);
        if (stored == null) {
            return local;
        }
        if (local == null || !local.state().id().equals(stored.id())) {
            Rollout r = restored(stored, null);
            rollouts.put(model, r);
            return r;
        }
        if (local.adopt(stored)) {
            afterChange(model, stored);
        }
        return local;
    }

    private void commit(String model, Rollout r, Rollout.State before) {
        if (store.replace(model, before, r.state())) {
            afterChange(model, r.state());
            return;
        }
        reload(model);
        throw QuiverException.conflict("model", "another instance changed the rollout of model '" + model
                + "' at the same moment; its decision stands: read it and try again");
    }

    private void reload(String model) {
        Rollout local = rollouts.get(model);
        Rollout.Tally own = local == null ? null : local.tally();
        store.load(model).ifPresent(s -> rollouts.put(model, restored(s, own)));
    }

    /** A promotion moves the champion alias to the challenger's version (idempotent: every instance does it). */
    private void afterChange(String model, Rollout.State s) {
        if (s.status() == Rollout.Status.PROMOTED) {
            Map<String, String> aliases = registry.aliases(model);
            if (!s.challengerVersion().equals(aliases.get(s.policy().champion()))) {
                registry.setAlias(model, s.policy().champion(), s.challengerVersion());
            }
        }
    }

    private Rollout restored(Rollout.State s, Rollout.Tally own) {
        Rollout r = new Rollout(s, own, clock);
        r.alertTo(alerts);
        return r;
    }

    private View view(String model, Rollout r) {
        Rollout.State s = r.state();
        // this instance's tally in the store may be up to a tick old: count the live one instead
        Map<String, Rollout.Tally> byInstance = new java.util.HashMap<>(store.tallies(model, s.window()));
        byInstance.put(instance, r.tally());
        List<Rollout.Tally> all = List.copyOf(byInstance.values());
        ArmWindow cm = ArmWindow.merged(all.stream().map(Rollout.Tally::champion).toList());
        ArmWindow ch = ArmWindow.merged(all.stream().map(Rollout.Tally::challenger).toList());
        ShadowAgreement.Snapshot shadow = ShadowAgreement.Snapshot.ZERO;
        for (Rollout.Tally t : all) {
            if (t.shadow() != null) {
                shadow = shadow.plus(t.shadow());
            }
        }
        Agreement agreement = s.policy().strategy() != RolloutPolicy.Strategy.SHADOW ? null
                : new Agreement(shadow.rows(), orNull(shadow.labelAgreement()),
                orNull(shadow.meanAbsProbabilityDiff()), shadow.failures());
        return new View(s, stats(s.championVersion(), cm), stats(s.challengerVersion(), ch), agreement,
                r.abReport(all));
    }

    private static ArmStats stats(String version, ArmWindow w) {
        return new ArmStats(version, w.requests(), w.errors(), w.requests() == 0 ? null : w.errorRate(),
                w.p99() == 0 ? null : w.p99() / 1e6, orNull(w.meanScore()));
    }

    private static Double orNull(double d) {
        return Double.isNaN(d) ? null : d;
    }

    private static boolean sameClasses(ServedModel a, ServedModel b) {
        return a.descriptor().labels().equals(b.descriptor().labels());
    }
}
