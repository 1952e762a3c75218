package dev.quiver.rollout;

import dev.quiver.testing.SimClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link RolloutStore} promises, run against each implementation: a rollout survives a restart (weights,
 * step, the step's counters and the audit log come back as they were), a state is replaced only over the revision it
 * was decided from, and the gates add up every instance's counters.
 */
public abstract class RolloutStoreContract {

    /** A store over fresh, empty storage. */
    protected abstract RolloutStore store();

    /** Another store over the same storage, as a restarted or second instance opens it. */
    protected abstract RolloutStore another();

    @Test
    void aRestoredRolloutContinuesWhereItStood() {
        SimClock clock = new SimClock();
        Rollout r = new Rollout("churn/r1", RolloutPolicy.of(RolloutPolicy.Strategy.CANARY), "1", "2", clock);
        for (int i = 0; i < 1500; i++) {
            r.record(true, 2_000_000, false, 0.3);
            r.record(false, 2_000_000, false, 0.3);
        }
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        r.evaluate();
        assertThat(r.step()).isEqualTo(1);
        for (int i = 0; i < 900; i++) {
            r.record(true, 9_000_000, i % 10 == 0, 0.3);
            r.record(false, 2_000_000, false, 0.3);
        }

        RolloutStore store = store();
        assertThat(store.replace("churn", null, r.state())).isTrue();
        store.saveTally("churn", "i-1", r.tally());
        RolloutStore reopened = another();
        Rollout.State saved = reopened.load("churn").orElseThrow();
        Rollout again = new Rollout(saved, reopened.tallies("churn", saved.window()).get("i-1"), clock);

        assertThat(again.step()).isEqualTo(1);
        assertThat(again.weightBasisPoints()).isEqualTo(2500);
        assertThat(again.events()).isEqualTo(r.events());
        assertThat(again.route("customer-7")).isEqualTo(r.route("customer-7"));
        // the step's counters came back too: 100 more challenger requests reach the minimum, and the gates see
        // the 10% errors recorded before the restart
        for (int i = 0; i < 100; i++) {
            again.record(true, 2_000_000, false, 0.3);
        }
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        assertThat(again.evaluate()).isTrue();
        assertThat(again.status()).isEqualTo(Rollout.Status.ROLLED_BACK);
        assertThat(again.events().get(again.events().size() - 1).why()).startsWith("error rate 0.09");
        assertThat(another().load("other")).isEmpty();
    }

    @Test
    void aStateIsReplacedOnlyOverTheRevisionItWasDecidedFrom() {
        SimClock clock = new SimClock();
        RolloutStore store = store();
        Rollout a = new Rollout("churn/r2", RolloutPolicy.of(RolloutPolicy.Strategy.CANARY), "1", "2", clock);
        Rollout.State first = a.state();
        assertThat(store.replace("churn", null, first)).isTrue();
        assertThat(store.replace("churn", null, first)).as("someone stored one already").isFalse();

        // two instances hold revision 0; the first to save its decision wins, the second is refused
        Rollout b = new Rollout(first, null, clock);
        a.pause("alice", "looking at the dashboards");
        b.rollBack("bob", "bad feeling");
        assertThat(store.replace("churn", first, a.state())).isTrue();
        assertThat(store.replace("churn", first, b.state())).isFalse();
        assertThat(store.load("churn").orElseThrow().status()).isEqualTo(Rollout.Status.PAUSED);

        // the loser takes the winner's state
        Rollout c = new Rollout(first, null, clock);
        assertThat(c.adopt(store.load("churn").orElseThrow())).isTrue();
        assertThat(c.status()).isEqualTo(Rollout.Status.PAUSED);
        assertThat(c.adopt(first)).as("an older state is not taken").isFalse();
        assertThat(store.models()).containsExactly("churn");
    }

    @Test
    void ofInstancesReplacingTheSameRevisionAtOnceExactlyOneWins() throws Exception {
        SimClock clock = new SimClock();
        Rollout r = new Rollout("churn/r4", RolloutPolicy.of(RolloutPolicy.Strategy.CANARY), "1", "2", clock);
        Rollout.State first = r.state();
        assertThat(store().replace("churn", null, first)).isTrue();
        int n = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Boolean>> wins = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                RolloutStore s = i % 2 == 0 ? store() : another();
                Rollout mine = new Rollout(first, null, clock);
                mine.pause("instance " + i, "a decision of its own");
                wins.add(pool.submit(() -> {
                    go.await();
                    return s.replace("churn", first, mine.state());
                }));
            }
            go.countDown();
            int won = 0;
            for (var w : wins) {
                won += w.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewRolloutOfAModelDropsTheTalliesOfTheOneBefore() {
        SimClock clock = new SimClock();
        RolloutStore store = store();
        Rollout old = new Rollout("churn/r5", RolloutPolicy.of(RolloutPolicy.Strategy.CANARY), "1", "2", clock);
        store.replace("churn", null, old.state());
        old.record(true, 2_000_000, false, 0.3);
        store.saveTally("churn", "i-1", old.tally());
        assertThat(store.tallies("churn", old.state().window())).containsOnlyKeys("i-1");

        Rollout next = new Rollout("churn/r6", RolloutPolicy.of(RolloutPolicy.Strategy.CANARY), "1", "3", clock);
        assertThat(store.replace("churn", old.state(), next.state())).isTrue();

        assertThat(another().tallies("churn", old.state().window())).isEmpty();
        assertThat(another().load("churn").orElseThrow().id()).isEqualTo("churn/r6");
    }

    @Test
    void theGatesDecideOnEveryInstancesCountersAddedUp() {
        SimClock clock = new SimClock();
        RolloutStore store = store();
        Rollout first = new Rollout("churn/r3", RolloutPolicy.of(RolloutPolicy.Strategy.CANARY), "1", "2", clock);
        store.replace("churn", null, first.state());
        Rollout second = new Rollout(first.state(), null, clock);
        // 600 challenger requests on each instance: neither alone reaches the step's minimum of 1,000
        for (int i = 0; i < 600; i++) {
            first.record(true, 2_000_000, i % 10 == 0, 0.3);
            first.record(false, 2_000_000, false, 0.3);
            second.record(true, 2_000_000, i % 10 == 0, 0.3);
            second.record(false, 2_000_000, false, 0.3);
        }
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        assertThat(first.evaluate()).isFalse();
        store.saveTally("churn", "first", first.tally());
        store.saveTally("churn", "second", second.tally());
        java.util.Map<String, Rollout.Tally> all = store.tallies("churn", first.state().window());
        assertThat(all).containsOnlyKeys("first", "second");
        assertThat(first.evaluate(java.util.List.copyOf(all.values()))).isTrue();
        assertThat(first.status()).isEqualTo(Rollout.Status.ROLLED_BACK);
        assertThat(first.events().get(first.events().size() - 1).why()).startsWith("error rate 0.1000");
    }
}
