package dev.quiver.features;

import dev.quiver.error.Stages;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.FeatureDefinitions;
import dev.quiver.feature.FileOnlineStore;
import dev.quiver.feature.OnlineStore;
import dev.quiver.feature.StoredRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code materialize} command as a user runs it: the built jar as a process against an embedded store in
 * a temporary directory. It prints the counts and exits 0; bad input exits non-zero with one line naming the
 * problem, without a stack trace.
 */
class MaterializeCommandIT {

    @TempDir
    Path dir;

    private Map<String, String> config() {
        return Map.of("quiver.features.definitions", TestDefinitions.file().toString(),
                "quiver.features.store.path", dir.resolve("store").toString());
    }

    @Test
    void loadsTheDemoSourceAndAFileAndPrintsTheCounts() throws IOException {
        Map<String, String> config = config();

        FeaturesProcess.Finished demo = FeaturesProcess.materialize(config);
        assertThat(demo.status()).as(demo.err()).isZero();
        assertThat(demo.out().strip()).isEqualTo("churn_features: 5000 rows read, 5000 written");

        Path file = BulkFiles.jsonLines(dir.resolve("rows.jsonl"), 990_001);
        FeaturesProcess.Finished own = FeaturesProcess.materialize(config, "--view", "churn_features", "--file", file.toString());
        assertThat(own.status()).as(own.err()).isZero();
        assertThat(own.out().strip()).isEqualTo("churn_features: 1 rows read, 1 written");
        assertThat(own.err()).doesNotContain("WARN").doesNotContain("ERROR").contains("online store: embedded");

        FeatureDefinitions defs = FeatureDefinitions.read(Path.of(config.get("quiver.features.definitions")));
        try (FileOnlineStore store = new FileOnlineStore(dir.resolve("store"), defs)) {
            assertThat(store.size("churn_features")).isEqualTo(5001);
            List<StoredRow> rows = Stages.join(store.read(List.of(new OnlineStore.ViewRead(defs.views().get(0),
                    List.of(EntityKey.of("customer_id", 1L), EntityKey.of("customer_id", 990_001L)), List.of("state"))))).get(0);
            assertThat(rows).extracting(r -> r.values().get("state")).containsExactly("KS", "NY");
        }
    }

    @Test
    void aBadFileExitsWithOneAndOneLineNamingTheLine() throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "customer_id,state\n1,KS\n");

        FeaturesProcess.Finished r = FeaturesProcess.materialize(config(), "--view", "churn_features", "--file", file.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.lastErrLine()).isEqualTo("materialize: bad.csv line 2.account_length: missing feature of view 'churn_features'");
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aUsageErrorExitsWithTwoAndPrintsTheUsage() {
        FeaturesProcess.Finished r = FeaturesProcess.materialize(config(), "--file");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("materialize: --file: needs a value\nusage: materialize")
                .doesNotContain("\tat ");
    }
}
