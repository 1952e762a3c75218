package dev.quiver.features;

import dev.quiver.features.materialize.MaterializeCommand;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.quiver.features.FeastBodies.get;
import static dev.quiver.features.FeastBodies.refs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code materialize} command's logic in-process, against the test's store: what it loads is served, and bad
 * input exits non-zero with one line naming the problem, writing nothing. (MaterializeCommandIT runs the built
 * jar as a process.)
 */
@QuarkusTest
@WithTestResource(TempFeatureStore.class)
class MaterializeCommandTest {

    @Inject
    MaterializeCommand command;

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = command.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void loadsAJsonLinesFileIntoTheStoreAndPrintsTheCounts() throws IOException {
        Path file = BulkFiles.jsonLines(dir.resolve("rows.jsonl"), 960_001, 960_002);

        Run r = run("--view", "churn_features", "--file", file.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("churn_features: 2 rows read, 2 written");
        Feast.Answer a = Feast.read(get(refs("state"), 960_001, 960_002));
        assertThat(a.statuses("state")).containsExactly("PRESENT", "PRESENT");
        assertThat(a.values("state")).containsExactly("NY", "NY");
    }

    @Test
    void loadsACsvFileStampingRowsWithoutATimeWithTheGivenTimestamp() throws IOException {
        Path file = BulkFiles.csv(dir.resolve("rows.csv"), 960_003);

        Run r = run("--view", "churn_features", "--file", file.toString(), "--timestamp", "2026-11-20T08:00:00Z");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("churn_features: 1 rows read, 1 written");
        Feast.Answer a = Feast.read(get(refs("state", "total_day_calls"), 960_003));
        assertThat(a.values("state")).containsExactly("WY");
        assertThat(a.values("total_day_calls")).containsExactly(77);
        assertThat(a.timestamps("state")).containsExactly("2026-11-20T08:00:00Z");
    }

    @Test
    void reloadingTheDemoSourceWritesNothingNewer() {
        Run r = run("--timestamp", "2020-01-01T00:00:00Z");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("churn_features: 5000 rows read, 0 written");
    }

    @Test
    void aBadRowFailsTheWholeFileNamingItsLineAndWritesNothing() throws IOException {
        Path file = BulkFiles.jsonLines(dir.resolve("bad.jsonl"), 960_004, 960_005);
        Files.writeString(file, Files.readString(file).replace("\"total_day_calls\":77,", "\"total_day_calls\":\"many\","));

        Run r = run("--view", "churn_features", "--file", file.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("materialize: bad.jsonl line 1.total_day_calls: must be an integer").doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(Feast.read(get(refs("state"), 960_004, 960_005)).statuses("state"))
                .containsExactly("NOT_FOUND", "NOT_FOUND");
    }

    @Test
    void aMissingFileOrViewIsNamed() {
        Run missing = run("--view", "churn_features", "--file", dir.resolve("nope.csv").toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).startsWith("materialize: --file: no such file");

        Run view = run("--view", "driver_stats");
        assertThat(view.status()).isEqualTo(1);
        assertThat(view.err()).startsWith("materialize: --view: unknown feature view 'driver_stats'");
    }

    @Test
    void aUsageErrorExitsWithTwoAndTheUsage() {
        Run r = run("--viw", "churn_features");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--viw: unknown argument").contains("usage: materialize");

        Run noValue = run("--timestamp");
        assertThat(noValue.status()).isEqualTo(2);
        assertThat(noValue.err()).contains("--timestamp: needs a value");

        Run badTime = run("--timestamp", "yesterday");
        assertThat(badTime.status()).isEqualTo(2);
        assertThat(badTime.err()).contains("--timestamp: must be an ISO-8601 time");
    }
}
