package dev.quiver.predict.bench;

import dev.quiver.rollout.Assignment;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * What choosing a rollout arm costs per request (the rollouts issue allows at most 1 µs): a sticky assignment
 * of an entity id by its stable hash, and a random one for a request without a key.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingBenchmark {

    private String[] keys;
    private int next;
    private final java.util.concurrent.ConcurrentHashMap<String, dev.quiver.rollout.Rollout> rollouts =
            new java.util.concurrent.ConcurrentHashMap<>();

    @Setup
    public void setUp() {
        keys = new String[4096];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = Integer.toString(100_000 + i * 7919);
        }
        rollouts.put("churn", new dev.quiver.rollout.Rollout("churn/rollout-1",
                dev.quiver.rollout.RolloutPolicy.of(dev.quiver.rollout.RolloutPolicy.Strategy.CANARY), "1", "2",
                java.time.Clock.systemUTC()));
    }

    @Benchmark
    public boolean stickyByKey() {
        String key = keys[next++ & (keys.length - 1)];
        return Assignment.challenger("churn/rollout-1", key, 2500);
    }

    /** What the request path adds: find the model's rollout (one map read), then place the key. */
    @Benchmark
    public String rolloutRoute() {
        dev.quiver.rollout.Rollout r = rollouts.get("churn");
        return r == null ? null : r.route(keys[next++ & (keys.length - 1)]).version();
    }

    @Benchmark
    public boolean randomWithoutKey() {
        return Assignment.challenger("churn/rollout-1", null, 2500);
    }
}
