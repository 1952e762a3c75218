package dev.quiver.prediction;

import dev.quiver.error.Stages;
import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.tensor.Datatype;
import dev.quiver.tensor.Tensor;
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
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static dev.quiver.error.QuiverException.Kind.BAD_INPUT;
import static dev.quiver.error.QuiverException.Kind.TOO_LARGE;
import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class PredictionServiceTest {

    private static final int MAX_ROWS = 4;

    @TempDir
    Path root;
    private FakeEngine engine;
    private ModelRegistry registry;
    private PredictionService service;
    private final List<String> observed = new ArrayList<>();

    @BeforeEach
    void setUp() {
        engine = new FakeEngine();
        registry = new ModelRegistry(new DirectoryModelStore(root), engine, Clock.systemUTC());
        service = new PredictionService(registry, MAX_ROWS, new PredictionObserver() {
            @Override
            public void scored(dev.quiver.model.ModelKey key, int rows, long nanos, boolean ok) {
                observed.add(key + " rows=" + rows + " ok=" + ok);
            }

            @Override
            public void batched(dev.quiver.model.ModelKey key, int requests, int rows) {
                observed.add(key + " batch of " + requests + " requests, " + rows + " rows");
            }
        });
    }

    /** Registers {@code descriptor} as version 1 of {@code model} and makes it champion. */
    private void champion(String model, ModelDescriptor descriptor) {
        registry.register(model, descriptor, Artifacts.model(model));
        registry.setAlias(model, ModelRegistry.CHAMPION, "1");
    }

    private PredictResult predict(String model, List<Map<String, Object>> rows) {
        return Stages.join(service.predict(new PredictRequest(model, null, null, rows, "req-1")));
    }

    private static Tensor x(float[] data, long... shape) {
        return Tensor.of("x", data, shape);
    }

    private static Tensor bias(float b) {
        return Tensor.of("bias", new float[] {b}, 1);
    }

    // ---- predict: named features

    @Test
    void eachRowGetsItsOwnLabelAndProbabilitiesByClass() {
        champion("churn", Descriptors.numbers(1));

        PredictResult result = predict("churn", Rows.n0(3, 0));

        assertThat(result.requestId()).isEqualTo("req-1");
        assertThat(result.model()).isEqualTo("churn");
        assertThat(result.version()).isEqualTo("1");
        assertThat(result.predictions()).hasSize(2);
        PredictResult.Row first = result.predictions().get(0);
        assertThat(first.label()).isEqualTo("yes");
        assertThat(first.probabilities()).containsExactly(entry("no", 0.25), entry("yes", 0.75));
        PredictResult.Row second = result.predictions().get(1);
        assertThat(second.label()).isEqualTo("no");
        assertThat(second.probabilities()).containsExactly(entry("no", 1.0), entry("yes", 0.0));
        assertThat(observed).containsExactly("churn:1 rows=2 ok=true");
    }

    @Test
    void theLabelComesFromTheLabelOutputWhenTheModelHasOne() {
        // at x = 1 the probabilities tie at 0.5; the model's own label output says "yes"
        champion("churn", Descriptors.classifier().numbers(1).labelOutput().build());

        PredictResult.Row row = predict("churn", Rows.n0(1)).predictions().get(0);

        assertThat(row.label()).isEqualTo("yes");
        assertThat(row.probabilities()).containsExactly(entry("no", 0.5), entry("yes", 0.5));
    }

    @Test
    void anFp64InputIsFilledWithDoubles() {
        champion("churn", Descriptors.classifier().numbers(2).datatype(Datatype.FP64).build());

        predict("churn", List.of(Rows.row("n0", 241.9, "n1", 1)));

        Tensor sent = engine.runs().get(0).get(0);
        assertThat(sent.datatype()).isEqualTo(Datatype.FP64);
        assertThat(sent.shape()).containsExactly(1, 2);
        assertThat((double[]) sent.data()).containsExactly(241.9, 1.0);
    }

    @Test
    void aRequestIdIsAssignedWhenTheCallerSendsNone() {
        champion("churn", Descriptors.numbers(1));

        PredictResult result = Stages.join(service.predict(new PredictRequest("churn", null, null, Rows.n0(1), null)));

        assertThat(result.requestId()).isNotBlank();
    }

    @Test
    void moreRowsThanTheLimitIsTooLarge() {
        champion("churn", Descriptors.numbers(1));

        var e = expect(TOO_LARGE, "rows", () -> predict("churn", Rows.n0(1, 2, 3, 4, 5)));

        assertThat(e.reason()).contains("5").contains(String.valueOf(MAX_ROWS));
        assertThat(engine.runs()).isEmpty();
    }

    @Test
    void noRowsIsBadInput() {
        champion("churn", Descriptors.numbers(1));

        expect(BAD_INPUT, "rows", () -> predict("churn", List.of()));
        expect(BAD_INPUT, "rows", () -> predict("churn", null));
    }

    @Test
    void aBadRowFailsTheRequestBeforeTheModelRuns() {
        champion("churn", Descriptors.numbers(1));

        expect(BAD_INPUT, "rows[1].n0", () -> predict("churn", Rows.of(Rows.row("n0", 1), Rows.row("n0", "x"))));

        assertThat(engine.runs()).isEmpty();
        assertThat(observed).isEmpty();
    }

    @Test
    void aModelWithoutNamedInputsTakesOnlyTensors() {
        champion("adder", Descriptors.tensorOnly());

        var e = expect(BAD_INPUT, "rows", () -> predict("adder", Rows.n0(1)));

        assertThat(e.reason()).contains("Open Inference Protocol");
    }

    // ---- infer: tensors

    @Test
    void inferReturnsTheRequestedOutputsInTheRequestedOrder() {
        champion("adder", Descriptors.tensorOnly());

        InferResult result = service.infer("adder", null,
                List.of(bias(10), x(new float[] {1, 2, 3, 5}, 2, 2)), List.of("max", "sum"));

        assertThat(result.version()).isEqualTo("1");
        assertThat(result.outputs()).extracting(Tensor::name).containsExactly("max", "sum");
        assertThat((float[]) result.outputs().get(0).data()).containsExactly(2, 5);
        assertThat((float[]) result.outputs().get(1).data()).containsExactly(13, 18);
        assertThat(observed).containsExactly("adder:1 rows=2 ok=true");
    }

    @Test
    void inferWithoutOutputNamesReturnsAllOutputs() {
        champion("adder", Descriptors.tensorOnly());

        InferResult result = service.infer("adder", null, List.of(x(new float[] {1, 2}, 1, 2), bias(0)), List.of());

        assertThat(result.outputs()).extracting(Tensor::name).containsExactly("sum", "max");
    }

    @Test
    void inferRejectsAnUnknownInput() {
        champion("adder", Descriptors.tensorOnly());

        var e = expect(BAD_INPUT, "inputs[0].name", () -> service.infer("adder", null,
                List.of(Tensor.of("y", new float[] {1, 2}, 1, 2), bias(0)), List.of()));
        assertThat(e.reason()).contains("'y'");
    }

    @Test
    void inferRejectsAnInputGivenTwice() {
        champion("adder", Descriptors.tensorOnly());

        expect(BAD_INPUT, "inputs[2].name", () -> service.infer("adder", null,
                List.of(x(new float[] {1, 2}, 1, 2), bias(0), bias(1)), List.of()));
    }

    @Test
    void inferRejectsTheWrongDatatype() {
        champion("adder", Descriptors.tensorOnly());

        var e = expect(BAD_INPUT, "inputs[0].datatype", () -> service.infer("adder", null,
                List.of(Tensor.of("x", new long[] {1, 2}, 1, 2), bias(0)), List.of()));
        assertThat(e.reason()).contains("FP32").contains("INT64");
    }

    @Test
    void inferRejectsAShapeThatDoesNotFit() {
        champion("adder", Descriptors.tensorOnly());

        // x is [-1, -1]: any two dimensions, but two; bias is [1]
        expect(BAD_INPUT, "inputs[0].shape", () -> service.infer("adder", null,
                List.of(x(new float[] {1, 2}, 2), bias(0)), List.of()));
        expect(BAD_INPUT, "inputs[1].shape", () -> service.infer("adder", null,
                List.of(x(new float[] {1, 2}, 1, 2), Tensor.of("bias", new float[] {1, 2}, 2)), List.of()));
    }

    @Test
    void inferRejectsDataThatDoesNotMatchTheShape() {
        champion("adder", Descriptors.tensorOnly());

        var e = expect(BAD_INPUT, "inputs[0].data", () -> service.infer("adder", null,
                List.of(x(new float[] {1, 2, 3}, 2, 2), bias(0)), List.of()));
        assertThat(e.reason()).contains("3").contains("4");
    }

    @Test
    void inferRejectsAMissingInput() {
        champion("adder", Descriptors.tensorOnly());

        var e = expect(BAD_INPUT, "inputs", () -> service.infer("adder", null,
                List.of(x(new float[] {1, 2}, 1, 2)), List.of()));
        assertThat(e.reason()).contains("'bias'");
    }

    @Test
    void inferRejectsAnUnknownOutput() {
        champion("adder", Descriptors.tensorOnly());

        expect(BAD_INPUT, "outputs[1].name", () -> service.infer("adder", null,
                List.of(x(new float[] {1, 2}, 1, 2), bias(0)), List.of("sum", "mean")));
        assertThat(engine.runs()).isEmpty();
    }

    @Test
    void inferRejectsABatchOverTheLimit() {
        champion("adder", Descriptors.tensorOnly());

        expect(TOO_LARGE, "inputs", () -> service.infer("adder", null,
                List.of(x(new float[2 * (MAX_ROWS + 1)], MAX_ROWS + 1, 2), bias(0)), List.of()));
        assertThat(engine.runs()).isEmpty();
    }

    @Test
    void inferRejectsAShapeTooLargeToCountAsBadInput() {
        champion("adder", Descriptors.tensorOnly());

        expect(BAD_INPUT, "inputs[0].shape", () -> service.infer("adder", null,
                List.of(x(new float[0], Long.MAX_VALUE, 2), bias(0)), List.of()));
    }

    @Test
    void anEmptyBatchTooLargeForAnIntIsStillOverTheLimit() {
        // 2^32 + 1 rows of width 0 hold no data; cast to an int, that batch would count as 1 row
        champion("adder", Descriptors.tensorOnly());

        expect(TOO_LARGE, "inputs", () -> service.infer("adder", null,
                List.of(x(new float[0], (1L << 32) + 1, 0), bias(0)), List.of()));
    }

    // ---- predictAll: requests that arrive together

    /** What one request of a batch came to: its result, or the error it alone failed with. */
    private record Answer(PredictResult result, RuntimeException error) {
    }

    private static List<Answer> answers(List<CompletionStage<PredictResult>> stages) {
        List<Answer> out = new ArrayList<>();
        for (CompletionStage<PredictResult> s : stages) {
            assertThat(s.toCompletableFuture()).as("complete on return").isDone();
            try {
                out.add(new Answer(Stages.join(s), null));
            } catch (RuntimeException e) {
                out.add(new Answer(null, e));
            }
        }
        return out;
    }

    private final List<String> captured = new ArrayList<>();

    private void captureRequests() {
        service.captureTo((served, input, rows, p, labels, requestId, rowNumbers) ->
                captured.add(requestId + " rows=" + rows + " x0=" + ((float[]) input.data())[0] + " p=" + p.length));
    }

    private static PredictRequest rows(String id, double... n0) {
        return new PredictRequest("churn", null, null, Rows.n0(n0), id);
    }

    @Test
    void requestsThatArriveTogetherShareOneRunAndEachGetsItsOwnAnswer() {
        champion("churn", Descriptors.classifier().numbers(1).labelOutput().build());
        captureRequests();
        List<PredictRequest> requests = List.of(rows("a", 0.5), rows("b", 3, 1), rows("c", 2));
        List<PredictResult> alone = new ArrayList<>();
        for (PredictRequest r : requests) {
            alone.add(Stages.join(service.predict(r)));
        }
        engine.runs().clear();
        engine.models.forEach(m -> m.runs.clear());
        observed.clear();
        captured.clear();

        List<Answer> answers = answers(service.predictAll(requests));

        assertThat(engine.runs()).as("one run for the three requests").hasSize(1);
        assertThat(engine.runs().get(0).get(0).shape()).containsExactly(4, 1);
        assertThat(answers).extracting(Answer::error).containsOnlyNulls();
        assertThat(answers).extracting(Answer::result).usingRecursiveComparison().isEqualTo(alone);
        assertThat(observed).containsExactly("churn:1 rows=1 ok=true", "churn:1 rows=2 ok=true",
                "churn:1 rows=1 ok=true", "churn:1 batch of 3 requests, 4 rows");
        assertThat(captured).containsExactly("a rows=1 x0=0.5 p=2", "b rows=2 x0=3.0 p=4", "c rows=1 x0=2.0 p=2");
    }

    @Test
    void aBadRequestAmongOthersFailsAloneAndTheRestShareARun() {
        champion("churn", Descriptors.numbers(1));
        PredictRequest unknownFeature = new PredictRequest("churn", null, null,
                List.of(Rows.row("n0", 1, "colour", "red")), "bad");
        PredictRequest unknownModel = new PredictRequest("nope", null, null, Rows.n0(1), "lost");

        List<Answer> answers = answers(service.predictAll(
                List.of(rows("a", 1), unknownFeature, rows("b", 2), unknownModel)));

        assertThat(answers.get(0).result().predictions()).hasSize(1);
        assertThat(answers.get(1).error()).isInstanceOf(dev.quiver.error.QuiverException.class)
                .hasMessageContaining("colour");
        assertThat(answers.get(2).result().requestId()).isEqualTo("b");
        assertThat(((dev.quiver.error.QuiverException) answers.get(3).error()).kind())
                .isEqualTo(dev.quiver.error.QuiverException.Kind.NOT_FOUND);
        assertThat(engine.runs()).hasSize(1);
        assertThat(engine.runs().get(0).get(0).shape()).containsExactly(2, 1);
    }

    @Test
    void requestsForDifferentVersionsRunOncePerVersion() {
        champion("churn", Descriptors.numbers(1));
        registry.register("churn", Descriptors.numbers(1), Artifacts.model("churn-2"));

        List<Answer> answers = answers(service.predictAll(List.of(rows("a", 1),
                new PredictRequest("churn", "2", null, Rows.n0(5), "pinned"), rows("b", 2))));

        assertThat(answers).extracting(a -> a.result().version()).containsExactly("1", "2", "1");
        assertThat(answers.get(1).result().predictions().get(0).probabilities()).containsEntry("yes", (double) (float) (5.0 / 6));
        assertThat(engine.models.get(0).runs).hasSize(1);
        assertThat(engine.models.get(0).runs.get(0).get(0).shape()).containsExactly(2, 1);
        assertThat(engine.models.get(1).runs).hasSize(1);
    }

    @Test
    void whenTheSharedRunFailsEachRequestRunsAloneAndOnlyTheOneItFailsOnFails() {
        champion("churn", Descriptors.numbers(1));
        engine.models.get(0).failOn = 13;

        List<Answer> answers = answers(service.predictAll(List.of(rows("a", 1), rows("b", 13), rows("c", 2))));

        assertThat(answers.get(0).result().requestId()).isEqualTo("a");
        assertThat(answers.get(1).error()).hasMessageContaining("failed on 13");
        assertThat(answers.get(2).result().requestId()).isEqualTo("c");
        assertThat(observed).containsExactly("churn:1 rows=1 ok=true", "churn:1 rows=1 ok=false",
                "churn:1 rows=1 ok=true");
    }

    @Test
    void onlyTheRequestsAnsweredAloneStartThroughTheCallersHookEachWithItsOwnPlace() {
        champion("churn", Descriptors.numbers(1));
        PredictRequest byEntity = new PredictRequest("churn", null, null, null, "e", Map.of("user_id", List.of(1)));
        List<Integer> startedAlone = new ArrayList<>();

        List<Answer> answers = answers(service.predictAll(List.of(rows("a", 1), byEntity, rows("b", 2)),
                (index, start) -> {
                    startedAlone.add(index);
                    return start.get();
                }));

        assertThat(startedAlone).containsExactly(1);
        assertThat(answers.get(1).error()).hasMessage("entities: this deployment reads no online features; send rows "
                + "instead");
        assertThat(answers.get(0).result().requestId()).isEqualTo("a");
        assertThat(answers.get(2).result().requestId()).isEqualTo("b");
        assertThat(engine.runs()).hasSize(1);
    }

    @Test
    void aRunTakesAtMostTheRowLimitOfOneRequest() {
        champion("churn", Descriptors.numbers(1));

        List<Answer> answers = answers(service.predictAll(
                List.of(rows("a", 1, 2), rows("b", 3, 4), rows("c", 5, 6))));

        assertThat(answers).extracting(a -> a.result().requestId()).containsExactly("a", "b", "c");
        assertThat(engine.runs()).extracting(run -> run.get(0).shape()[0]).containsExactly((long) MAX_ROWS, 2L);
    }

    @Test
    void outputsThatDoNotSplitByRowFailEveryRequestInsteadOfShiftingAnswers() {
        champion("churn", Descriptors.classifier().numbers(1).labelOutput().build());
        engine.models.get(0).shortOutputs = true;

        List<Answer> answers = answers(service.predictAll(List.of(rows("a", 1), rows("b", 2))));

        assertThat(answers).allSatisfy(a -> {
            assertThat(a.result()).isNull();
            assertThat(a.error()).isInstanceOf(IllegalStateException.class).hasMessageContaining("returned");
        });
    }
}
