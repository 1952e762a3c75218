package dev.quiver.rollout;

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
        CanarySimulationTest.SimClock clock = new CanarySimulationTest.SimClock();
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
        store.save("churn", r.state());
        Rollout again = new Rollout(new FileRolloutStore(dir).load("churn").orElseThrow(), clock);

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
        assertThat(again.evaluate()).isEqualTo(Rollout.Status.ROLLED_BACK);
        assertThat(again.events().get(again.events().size() - 1).why()).startsWith("error rate 0.09");
        assertThat(new FileRolloutStore(dir).load("other")).isEmpty();
    }
}
