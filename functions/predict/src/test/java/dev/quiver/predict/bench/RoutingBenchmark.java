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

    @Setup
    public void setUp() {
        keys = new String[4096];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = Integer.toString(100_000 + i * 7919);
        }
    }

    @Benchmark
    public boolean stickyByKey() {
        String key = keys[next++ & (keys.length - 1)];
        return Assignment.challenger("churn/rollout-1", key, 2500);
    }

    @Benchmark
    public boolean randomWithoutKey() {
        return Assignment.challenger("churn/rollout-1", null, 2500);
    }
}
