package dev.quiver.train;

import dev.quiver.model.InputField;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.tensor.Datatype;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.ensemble.EnsembleModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a random forest classifier on a labelled CSV with Tribuo, measures it on a stratified holdout and
 * exports it to ONNX with a descriptor that declares its inputs, metrics and provenance.
 *
 * <p>Deterministic: the same data, options and seed give the same trees, the same ONNX bytes and the same
 * metrics.
 */
public final class Trainer {

    /**
     * @param data            the CSV file
     * @param label           the label column
     * @param positive        the positive class, for AUC
     * @param seed            seeds the split and the forest
     * @param trees           the number of trees
     * @param maxDepth        the deepest a tree may grow
     * @param featureFraction the share of features each split considers
     * @param holdoutShare    the share of each class held out for measurement
     */
    public record Options(Path data, String label, String positive, long seed, int trees, int maxDepth,
                          float featureFraction, double holdoutShare) {

        public static Options churn(Path data) {
            return new Options(data, "churn", "yes", 42L, 100, 12, 0.5f, 0.2);
        }

        public Options withSeed(long s) {
            return new Options(data, label, positive, s, trees, maxDepth, featureFraction, holdoutShare);
        }

        public Options withTrees(int t) {
            return new Options(data, label, positive, seed, t, maxDepth, featureFraction, holdoutShare);
        }
    }

    /**
     * What training produced.
     *
     * @param onnx       the exported model
     * @param descriptor its descriptor (no version; the store assigns it)
     * @param forest     the Tribuo model, for comparisons with the exported one
     * @param table      the data
     * @param holdout    the holdout row indices
     */
    public record Result(byte[] onnx, ModelDescriptor descriptor, EnsembleModel<Label> forest, Table table,
                         int[] holdout) {

        /** The table rows the model was trained on (every row not in the holdout), in table order. */
        public int[] trainingRows() {
            java.util.Set<Integer> held = new java.util.HashSet<>();
            for (int h : holdout) {
                held.add(h);
            }
            return java.util.stream.IntStream.range(0, table.size()).filter(r -> !held.contains(r)).toArray();
        }

        /**
         * The reference profile for drift: the training rows, encoded as the exported model receives them, and the
         * model's probabilities for each, in the sketches the predict function captures.
         */
        public dev.quiver.drift.capture.Profile.Saved referenceProfile(String name) {
            int[] rows = trainingRows();
            List<java.util.Map<String, Object>> json = new java.util.ArrayList<>(rows.length);
            double[] probabilities = new double[rows.length * table.labels().size()];
            for (int i = 0; i < rows.length; i++) {
                json.add(table.jsonRow(rows[i]));
                System.arraycopy(tribuoProbabilities(rows[i]), 0, probabilities, i * table.labels().size(),
                        table.labels().size());
            }
            double[] encoded = new dev.quiver.inference.FeatureEncoder(descriptor.inputs()).encodeDouble(json);
            return dev.quiver.drift.capture.Profile.reference(name, descriptor.inputs(), descriptor.labels(), encoded,
                    rows.length, probabilities, descriptor.createdAt() != null ? descriptor.createdAt()
                            : java.time.Instant.EPOCH);
        }

        /** The Tribuo model's class probabilities for table row {@code r}, in descriptor label order. */
        public double[] tribuoProbabilities(int r) {
            Prediction<Label> p = forest.predict(example(table, new SlotLayout(table.fields()), r));
            List<String> labels = table.labels();
            double[] out = new double[labels.size()];
            for (int c = 0; c < out.length; c++) {
                Label l = p.getOutputScores().get(labels.get(c));
                out[c] = l == null ? 0 : l.getScore();
            }
            return out;
        }
    }

    private Trainer() {
    }

    public static Result train(Options o) throws IOException {
        Table table = Table.readCsv(o.data(), o.label());
        SlotLayout layout = new SlotLayout(table.fields());
        int[][] split = table.stratifiedSplit(o.holdoutShare(), o.seed());
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> train = dataset(table, layout, split[0], factory, "train");
        MutableDataset<Label> holdout = dataset(table, layout, split[1], factory, "holdout");

        CARTClassificationTrainer cart = new CARTClassificationTrainer(o.maxDepth(), 1f, 0f, o.featureFraction(),
                false, new GiniIndex(), o.seed());
        RandomForestTrainer<Label> forestTrainer = new RandomForestTrainer<>(cart, new FullyWeightedVotingCombiner(),
                o.trees(), o.seed());
        EnsembleModel<Label> forest = (EnsembleModel<Label>) forestTrainer.train(train);

        LabelEvaluation eval = new LabelEvaluator().evaluate(forest, holdout);
        Label positive = new Label(o.positive());
        double logLoss = 0;
        for (Prediction<Label> p : eval.getPredictions()) {
            Label truth = p.getExample().getOutput();
            double q = p.getOutputScores().get(truth.getLabel()).getScore();
            logLoss -= Math.log(Math.max(q, 1e-15));
        }
        logLoss /= eval.getPredictions().size();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("auc", eval.AUCROC(positive));
        metrics.put("accuracy", eval.accuracy());
        metrics.put("log_loss", logLoss);

        List<Model<Label>> members = new ArrayList<>(forest.getModels());
        byte[] onnx = TreeEnsembleOnnx.export(members, layout, table.labels(),
                "Random forest (Tribuo CART, " + o.trees() + " trees) predicting '" + o.label() + "'");

        Map<String, Object> training = new LinkedHashMap<>();
        training.put("library", "Tribuo " + org.tribuo.Tribuo.VERSION);
        training.put("algorithm", "random forest: " + o.trees() + " CART trees, max depth " + o.maxDepth()
                + ", feature fraction " + o.featureFraction() + ", gini");
        training.put("data", o.data().getFileName().toString());
        training.put("data_sha256", ModelRegistry.sha256(Files.readAllBytes(o.data())));
        training.put("rows", table.size());
        training.put("train_rows", split[0].length);
        training.put("holdout_rows", split[1].length);
        training.put("split", "stratified " + Math.round((1 - o.holdoutShare()) * 100) + "/"
                + Math.round(o.holdoutShare() * 100) + " by '" + o.label() + "'");
        training.put("seed", o.seed());
        training.put("positive_class", o.positive());

        ModelDescriptor descriptor = new ModelDescriptor(null, null,
                "Predicts whether a telecom customer churns (" + o.label() + "), from the MLC++ churn data set",
                table.fields(),
                new ModelDescriptor.TensorInput(TreeEnsembleOnnx.INPUT, Datatype.FP64),
                new ModelDescriptor.Outputs(TreeEnsembleOnnx.LABEL, TreeEnsembleOnnx.PROBABILITIES),
                table.labels(), metrics, training, ModelRegistry.sha256(onnx), Instant.now());
        return new Result(onnx, descriptor, forest, table, split[1]);
    }

    private static MutableDataset<Label> dataset(Table table, SlotLayout layout, int[] rows, LabelFactory factory,
                                                 String name) {
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance(name, factory), factory);
        for (int r : rows) {
            ds.add(example(table, layout, r));
        }
        return ds;
    }

    static Example<Label> example(Table table, SlotLayout layout, int r) {
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (InputField f : table.fields()) {
            String v = table.value(r, f.name());
            if (f.type() == InputField.Type.NUMBER) {
                names.add(f.name());
                values.add(Double.parseDouble(v));
            } else {
                names.add(SlotLayout.featureName(f.name(), v));
                values.add(1.0);
            }
        }
        return new ArrayExample<>(new Label(table.label(r)), names.toArray(String[]::new),
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
