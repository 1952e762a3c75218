package dev.quiver.prediction;

import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import dev.quiver.model.ModelKey;
import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.testing.Artifacts;
import dev.quiver.testing.Descriptors;
import dev.quiver.testing.FakeEngine;
import dev.quiver.testing.Rows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dynamic batcher on its own: how requests are grouped into runs, and what each request gets back. */
class BatcherTest {

    private static final int MAX_ROWS = 4;

    @TempDir
    Path root;
    private FakeEngine engine;
    private ModelRegistry registry;
    private Batcher batcher;
    private final List<String> batches = new ArrayList<>();
    private final List<String> scored = new ArrayList<>();

    @BeforeEach
    void setUp() {
        engine = new FakeEngine();
        registry = new ModelRegistry(new DirectoryModelStore(root), engine, Clock.systemUTC());
        registry.register("churn", Descriptors.numbers(1), Artifacts.model("v1"));
        registry.register("churn", Descriptors.numbers(1), Artifacts.model("v2"));
        registry.setAlias("churn", ModelRegistry.CHAMPION, "1");
        PredictionObserver observer = new PredictionObserver() {
            @Override
            public void scored(ModelKey key, int rows, long nanos, boolean ok) {
                scored.add(key + " " + rows + (ok ? "" : " failed"));
            }

            @Override
            public void batched(ModelKey key, int requests, int rows) {
                batches.add(key + " " + requests + "/" + rows);
            }
        };
        batcher = new Batcher(new RowPredictions(registry, MAX_ROWS, observer), MAX_ROWS, observer);
    }

    private static PredictRequest rows(String id, double... n0) {
        return new PredictRequest("churn", null, null, Rows.n0(n0), id);
    }

    private static PredictRequest pinned(String version, String id, double... n0) {
        return new PredictRequest("churn", version, null, Rows.n0(n0), id);
    }

    /** The rows of every run, per model version, in the order they ran. */
    private List<Long> runRows(int model) {
        return engine.models.get(model).runs.stream().map(run -> run.get(0).shape()[0]).toList();
    }

    private static List<String> ids(List<CompletionStage<PredictResult>> answers) {
        return answers.stream().map(a -> Stages.join(a).requestId()).toList();
    }

    @Test
    void aRunTakesWholeRequestsInArrivalOrderUpToTheRowLimit() {
        List<CompletionStage<PredictResult>> answers = batcher.predictAll(List.of(rows("a", 1, 2, 3), rows("b", 1, 2),
                rows("c", 1), rows("d", 1, 2, 3, 4)));

        assertThat(ids(answers)).containsExactly("a", "b", "c", "d");
        assertThat(runRows(0)).as("a alone: b would not fit; b and c; d alone").containsExactly(3L, 3L, 4L);
        assertThat(batches).as("only runs of several requests count as batches").containsExactly("churn:1 2/3");
        assertThat(scored).containsExactly("churn:1 3", "churn:1 2", "churn:1 1", "churn:1 4");
    }

    @Test
    void requestsAreGroupedByTheVersionTheyResolveToAndAnsweredInTheirOwnPlaces() {
        List<CompletionStage<PredictResult>> answers = batcher.predictAll(List.of(rows("a", 1), pinned("2", "b", 5),
                rows("c", 2), pinned("2", "d", 7), pinned("1", "e", 3)));

        assertThat(answers).extracting(a -> Stages.join(a).requestId() + "@" + Stages.join(a).version())
                .containsExactly("a@1", "b@2", "c@1", "d@2", "e@1");
        assertThat(runRows(0)).containsExactly(3L);
        assertThat(runRows(1)).containsExactly(2L);
        assertThat(batches).containsExactly("churn:1 3/3", "churn:2 2/2");
        // each request's rows are its own, in order: x = 7 scores 7/8 for yes
        assertThat(Stages.join(answers.get(3)).predictions().get(0).probabilities().get("yes"))
                .isEqualTo((double) (float) (7.0 / 8));
    }

    @Test
    void everyAnswerIsCompleteOnReturnAndARequestThatFailsItsChecksFailsAlone() {
        List<CompletionStage<PredictResult>> answers = batcher.predictAll(List.of(rows("a", 1),
                new PredictRequest("churn", null, null, List.of(), "empty"), rows("c", 2)));

        assertThat(answers).allSatisfy(a -> assertThat(a.toCompletableFuture()).isDone());
        assertThatThrownBy(() -> Stages.join(answers.get(1))).isInstanceOf(QuiverException.class)
                .hasMessage("rows: must hold at least one row");
        assertThat(ids(List.of(answers.get(0), answers.get(2)))).containsExactly("a", "c");
        assertThat(runRows(0)).containsExactly(2L);
    }

    @Test
    void aLoneRequestRunsAsItWouldOnItsOwn() {
        List<CompletionStage<PredictResult>> answers = batcher.predictAll(List.of(rows("a", 1, 2)));

        assertThat(ids(answers)).containsExactly("a");
        assertThat(runRows(0)).containsExactly(2L);
        assertThat(batches).isEmpty();
    }

    @Test
    void whenTheSharedRunFailsEachRequestIsRetriedAloneAndOnlyItsOwnFailureCounts() {
        engine.models.get(0).failOn = 13;

        List<CompletionStage<PredictResult>> answers = batcher.predictAll(List.of(rows("a", 1), rows("b", 13)));

        assertThat(Stages.join(answers.get(0)).requestId()).isEqualTo("a");
        assertThatThrownBy(() -> Stages.join(answers.get(1))).hasMessageContaining("failed on 13");
        assertThat(runRows(0)).as("the shared run, then each alone").containsExactly(2L, 1L, 1L);
        assertThat(scored).containsExactly("churn:1 1", "churn:1 1 failed");
        assertThat(batches).isEmpty();
    }

    @Test
    void aRowLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> new Batcher(null, 0, PredictionObserver.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
