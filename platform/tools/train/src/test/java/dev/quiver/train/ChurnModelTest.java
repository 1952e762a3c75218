package dev.quiver.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.quiver.inference.FeatureEncoder;
import dev.quiver.registry.ModelRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The demo model as the training command makes it: good enough, reproducible, and faithfully exported, the
 * probabilities ONNX Runtime (through DJL) computes from the serving side's own encoding of each holdout row
 * matching Tribuo's within 1e-5.
 */
class ChurnModelTest {

    static final Path DATA = Path.of(System.getProperty("repo.root", "../../.."), "platform/tools/train/data/mlc_churn.csv");
    static Trainer.Result result;
    /** Held so the level set on it is not lost to garbage collection: Tribuo logs every tree it builds. */
    static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    @BeforeAll
    static void train() throws Exception {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
        result = Trainer.train(Trainer.Options.churn(DATA));
    }

    @Test
    void reachesTheAucTheIssueAsksForOnTheStratifiedHoldout() {
        assertThat(result.descriptor().metrics().get("auc")).isGreaterThanOrEqualTo(0.88);
        assertThat(result.holdout()).hasSize(1000);
        long churners = java.util.Arrays.stream(result.holdout()).filter(r -> result.table().label(r).equals("yes")).count();
        long all = java.util.stream.IntStream.range(0, result.table().size()).filter(r -> result.table().label(r).equals("yes")).count();
        assertThat(churners).isEqualTo(Math.round(all * 0.2));
    }

    @Test
    void recordsProvenanceInTheDescriptor() throws Exception {
        var d = result.descriptor();
        assertThat(d.training().get("data_sha256")).isEqualTo(ModelRegistry.sha256(Files.readAllBytes(DATA)));
        assertThat(d.sha256()).isEqualTo(ModelRegistry.sha256(result.onnx()));
        assertThat(d.metrics()).containsKeys("auc", "accuracy", "log_loss");
        assertThat(d.inputs()).hasSize(19);
        assertThat(d.labels()).containsExactly("no", "yes");
    }

    @Test
    void sameSeedGivesTheSameModelBytes() throws Exception {
        Trainer.Result again = Trainer.train(Trainer.Options.churn(DATA).withTrees(100));
        assertThat(again.descriptor().sha256()).isEqualTo(result.descriptor().sha256());
        assertThat(again.descriptor().metrics()).isEqualTo(result.descriptor().metrics());
    }

    @Test
    void committedDemoModelIsWhatTheTrainingCommandProduces() throws Exception {
        Path committed = Path.of(System.getProperty("repo.root", "../../.."), "config/models/churn/1/model.onnx");
        assertThat(ModelRegistry.sha256(Files.readAllBytes(committed))).isEqualTo(result.descriptor().sha256());
    }

    @Test
    void onnxRuntimeReproducesTribuosProbabilitiesOnEveryHoldoutRow() throws Exception {
        FeatureEncoder encoder = new FeatureEncoder(result.descriptor().inputs());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int r : result.holdout()) {
            rows.add(result.table().jsonRow(r));
        }
        double[] x = encoder.encodeDouble(rows);
        Path file = Files.createTempFile("churn", ".onnx");
        Files.write(file, result.onnx());
        try (Model model = Model.newInstance("churn", Device.cpu(), "OnnxRuntime");
             NDManager manager = NDManager.newBaseManager(Device.cpu(), "OnnxRuntime")) {
            model.load(file);
            NDArray input = manager.create(x, new Shape(rows.size(), encoder.width()));
            input.setName(TreeEnsembleOnnx.INPUT);
            NDList out = model.getBlock().forward(new ParameterStore(manager, false), new NDList(input), false);
            float[] probs = out.get(TreeEnsembleOnnx.PROBABILITIES).toFloatArray();
            long[] labels = out.get(TreeEnsembleOnnx.LABEL).toLongArray();
            double worst = 0;
            for (int i = 0; i < result.holdout().length; i++) {
                double[] tribuo = result.tribuoProbabilities(result.holdout()[i]);
                for (int c = 0; c < 2; c++) {
                    assertThat((double) probs[i * 2 + c]).as("row %d class %d", result.holdout()[i], c)
                            .isCloseTo(tribuo[c], within(1e-5));
                    worst = Math.max(worst, Math.abs(probs[i * 2 + c] - tribuo[c]));
                }
                assertThat(labels[i]).isEqualTo(probs[i * 2 + 1] > probs[i * 2] ? 1 : 0);
            }
            System.out.printf("largest |ONNX - Tribuo| over %d holdout rows: %.3g%n", result.holdout().length, worst);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void theReferenceProfileSketchesTheTrainingRows() {
        dev.quiver.drift.capture.Profile.Saved p = result.referenceProfile("churn");
        int[] rows = result.trainingRows();
        assertThat(p.rows()).isEqualTo(rows.length).isEqualTo(4000);
        // categories are counted exactly
        java.util.Map<String, Long> states = new java.util.HashMap<>();
        double[] minutes = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            states.merge(result.table().value(rows[i], "state"), 1L, Long::sum);
            minutes[i] = Double.parseDouble(result.table().value(rows[i], "total_day_minutes"));
        }
        java.util.List<String> names = p.categoryNames().get("state");
        long[] counts = p.categories().get("state");
        for (int c = 0; c < names.size(); c++) {
            assertThat(counts[c]).as(names.get(c)).isEqualTo(states.getOrDefault(names.get(c), 0L));
        }
        // numbers are sketched: the median within KLL's rank error (about 1.3% at k = 200) of the exact one
        java.util.Arrays.sort(minutes);
        var kll = dev.quiver.drift.capture.Profile.numeric(p, "total_day_minutes");
        double rank = kll.getRank(minutes[minutes.length / 2],
                org.apache.datasketches.quantilescommon.QuantileSearchCriteria.INCLUSIVE);
        assertThat(rank).isCloseTo(0.5, within(0.02));
        assertThat(java.util.Arrays.stream(p.labelCounts()).sum()).isEqualTo(4000);
        assertThat(java.util.Arrays.stream(p.scoreHistogram()).sum()).isEqualTo(4000);
    }
}
