package dev.quiver.feature.bench;

import dev.quiver.error.Stages;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.FeatureDefinitions;
import dev.quiver.feature.FeatureGaps;
import dev.quiver.feature.FeatureMatrix;
import dev.quiver.feature.FeatureRef;
import dev.quiver.feature.FeatureRow;
import dev.quiver.feature.FetchObserver;
import dev.quiver.feature.FileOnlineStore;
import dev.quiver.feature.GapObserver;
import dev.quiver.feature.OnlineFeatures;
import dev.quiver.team.TeamChannel;
import dev.quiver.testing.FeatureFixtures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What watching reads for gaps ({@link FeatureGaps}) costs an online read: one read of 100 drivers' three
 * {@code driver_stats} features from the embedded store, every value present and fresh, with the watch and without
 * it. Run: {@code ./mvnw -q -pl shared-model -Pbench test-compile exec:exec
 * -Dbench.args="FeatureGapsBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FeatureGapsBenchmark {

    @Param({"none", "watched"})
    public String gaps;

    private Path dir;
    private OnlineFeatures online;
    private List<FeatureRef> refs;
    private List<EntityKey> keys;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("quiver-gaps-bench-");
        FeatureDefinitions defs = FeatureFixtures.definitions();
        FileOnlineStore store = new FileOnlineStore(dir, defs);
        Instant now = Instant.now();
        List<FeatureRow> rows = new ArrayList<>();
        List<Object> ids = new ArrayList<>();
        for (long id = 1; id <= 100; id++) {
            rows.add(new FeatureRow(EntityKey.of("driver_id", id), now,
                    Map.of("conv_rate", 0.5f, "trips", id, "city", "Oslo")));
            ids.add(id);
        }
        store.write(FeatureFixtures.DRIVER_STATS, rows);
        GapObserver observer = "none".equals(gaps) ? GapObserver.NONE
                : new FeatureGaps(FeatureGaps.Settings.DEFAULT, Map.of(), TeamChannel.NONE, Clock.systemUTC());
        online = new OnlineFeatures(defs, store, Clock.systemUTC(), 1000, FetchObserver.NONE, observer);
        refs = List.of(new FeatureRef("driver_stats", "conv_rate"), new FeatureRef("driver_stats", "trips"),
                new FeatureRef("driver_stats", "city"));
        keys = online.keys(Map.of("driver_id", ids), refs);
    }

    @TearDown
    public void tearDown() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public FeatureMatrix read() {
        return Stages.join(online.fetch(refs, keys));
    }
}
