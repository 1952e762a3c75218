package dev.quiver.rollout;

import dev.quiver.testing.SimClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A rollout survives a restart: weights, step, the step's counters and the audit log come back as they were. */
class FileRolloutStoreTest {

    @TempDir
    Path dir;

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

        FileRolloutStore store = new FileRolloutStore(dir);
        assertThat(store.replace("churn", null, r.state())).isTrue();
        store.saveTally("churn", "i-1", r.tally());
        FileRolloutStore reopened = new FileRolloutStore(dir);
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
        assertThat(new FileRolloutStore(dir).load("other")).isEmpty();
    }

    @Test
    void aStateIsReplacedOnlyOverTheRevisionItWasDecidedFrom() {
        SimClock clock = new SimClock();
        FileRolloutStore store = new FileRolloutStore(dir);
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
    void theGatesDecideOnEveryInstancesCountersAddedUp() {
        SimClock clock = new SimClock();
        FileRolloutStore store = new FileRolloutStore(dir);
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
