package dev.quiver.train;

import ai.onnx.proto.OnnxMl;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.common.tree.LeafNode;
import org.tribuo.common.tree.Node;
import org.tribuo.common.tree.SplitNode;
import org.tribuo.common.tree.TreeModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Exports an averaging ensemble of Tribuo classification trees (a random forest combined by
 * {@code FullyWeightedVotingCombiner}) to one ONNX {@code ai.onnx.ml.TreeEnsembleClassifier} node.
 *
 * <p>Tribuo has no ONNX export for tree models, so this writes the graph from the trees themselves: every
 * split becomes a {@code BRANCH_LEQ} node (Tribuo sends {@code x > t} to the greater branch, so
 * {@code x <= t} is the true branch), and every leaf adds its class distribution divided by the number of
 * trees, which reproduces the ensemble's averaged probabilities. Thresholds and weights are kept as doubles
 * ({@code *_as_tensor} attributes) and the input is FP64, because Tribuo splits in double precision: a split at
 * 241.89999999999998 separates 241.9 from the values below it, which float thresholds cannot. The graph takes
 * one FP64 input of shape
 * [N, width] laid out by {@link SlotLayout} and returns {@code label} (INT64 [N], the arg-max class index) and
 * {@code probabilities} (FP32 [N, classes]).
 */
public final class TreeEnsembleOnnx {

    public static final String INPUT = "features";
    public static final String LABEL = "label";
    public static final String PROBABILITIES = "probabilities";

    private TreeEnsembleOnnx() {
    }

    /**
     * @param trees   the ensemble's trees, each weighted equally
     * @param layout  where each Tribuo feature name sits in the input row
     * @param classes the class labels in output order
     */
    public static byte[] export(List<Model<Label>> trees, SlotLayout layout, List<String> classes, String docString) {
        List<Long> treeIds = new ArrayList<>();
        List<Long> nodeIds = new ArrayList<>();
        List<Long> featureIds = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        List<Long> trueIds = new ArrayList<>();
        List<Long> falseIds = new ArrayList<>();
        List<Long> classTreeIds = new ArrayList<>();
        List<Long> classNodeIds = new ArrayList<>();
        List<Long> classIds = new ArrayList<>();
        List<Double> classWeights = new ArrayList<>();
        double share = 1.0 / trees.size();

        for (int t = 0; t < trees.size(); t++) {
            if (!(trees.get(t) instanceof TreeModel<Label> tree)) {
                throw new IllegalArgumentException("member " + t + " is not a tree: " + trees.get(t).getClass());
            }
            ImmutableFeatureMap fmap = tree.getFeatureIDMap();
            List<Node<Label>> order = new ArrayList<>();
            number(tree.getRoot(), order);
            // Tribuo's nodes compare by value, so ids go by identity: two equal leaves are still two nodes
            Map<Node<Label>, Integer> ids = new java.util.IdentityHashMap<>();
            for (int i = 0; i < order.size(); i++) {
                ids.put(order.get(i), i);
            }
            for (int id = 0; id < order.size(); id++) {
                Node<Label> node = order.get(id);
                treeIds.add((long) t);
                nodeIds.add((long) id);
                if (node instanceof SplitNode<Label> split) {
                    String feature = fmap.get(split.getFeatureID()).getName();
                    featureIds.add((long) layout.slot(feature));
                    values.add(split.splitValue());
                    modes.add("BRANCH_LEQ");
                    trueIds.add((long) ids.get(split.getLessThanOrEqual()));
                    falseIds.add((long) ids.get(split.getGreaterThan()));
                } else {
                    LeafNode<Label> leaf = (LeafNode<Label>) node;
                    featureIds.add(0L);
                    values.add(0.0);
                    modes.add("LEAF");
                    trueIds.add(0L);
                    falseIds.add(0L);
                    Map<String, Label> dist = leaf.getDistribution();
                    for (int c = 0; c < classes.size(); c++) {
                        Label l = dist.get(classes.get(c));
                        classTreeIds.add((long) t);
                        classNodeIds.add((long) id);
                        classIds.add((long) c);
                        classWeights.add(l == null ? 0.0 : l.getScore() * share);
                    }
                }
            }
        }

        OnnxMl.NodeProto node = OnnxMl.NodeProto.newBuilder()
                .setName("forest").setOpType("TreeEnsembleClassifier").setDomain("ai.onnx.ml")
                .addInput(INPUT).addOutput("forest_label").addOutput(PROBABILITIES)
                .addAttribute(ints("nodes_treeids", treeIds))
                .addAttribute(ints("nodes_nodeids", nodeIds))
                .addAttribute(ints("nodes_featureids", featureIds))
                .addAttribute(doubles("nodes_values_as_tensor", values))
                .addAttribute(strings("nodes_modes", modes))
                .addAttribute(ints("nodes_truenodeids", trueIds))
                .addAttribute(ints("nodes_falsenodeids", falseIds))
                .addAttribute(ints("class_treeids", classTreeIds))
                .addAttribute(ints("class_nodeids", classNodeIds))
                .addAttribute(ints("class_ids", classIds))
                .addAttribute(doubles("class_weights_as_tensor", classWeights))
                .addAttribute(ints("classlabels_int64s", range(classes.size())))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("post_transform")
                        .setType(OnnxMl.AttributeProto.AttributeType.STRING)
                        .setS(com.google.protobuf.ByteString.copyFromUtf8("NONE")))
                .build();

        // ONNX Runtime's own label output of a binary TreeEnsembleClassifier does not always agree with its
        // probabilities, so the label is the arg-max of the probabilities, as Tribuo decides it.
        OnnxMl.NodeProto argMax = OnnxMl.NodeProto.newBuilder()
                .setName("label").setOpType("ArgMax").addInput(PROBABILITIES).addOutput(LABEL)
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis")
                        .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("keepdims")
                        .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(0))
                .build();

        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
                .setName("tree_ensemble")
                .addNode(node)
                .addNode(argMax)
                .addInput(valueInfo(INPUT, OnnxMl.TensorProto.DataType.DOUBLE, "N", layout.width()))
                .addOutput(valueInfo(LABEL, OnnxMl.TensorProto.DataType.INT64, "N", -1))
                .addOutput(valueInfo(PROBABILITIES, OnnxMl.TensorProto.DataType.FLOAT, "N", classes.size()))
                .build();

        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("quiver-train")
                .setProducerVersion("0.1.0")
                .setDocString(docString)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(15))
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(3))
                .setGraph(graph)
                .build().toByteArray();
    }

    /** Numbers the nodes of a tree depth-first, root first. */
    private static void number(Node<Label> node, List<Node<Label>> order) {
        order.add(node);
        if (node instanceof SplitNode<Label> split) {
            number(split.getLessThanOrEqual(), order);
            number(split.getGreaterThan(), order);
        }
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, OnnxMl.TensorProto.DataType type, String batch, int width) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        if (width >= 0) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    private static OnnxMl.AttributeProto ints(String name, List<Long> v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS)
                .addAllInts(v).build();
    }

    private static OnnxMl.AttributeProto doubles(String name, List<Double> v) {
        OnnxMl.TensorProto t = OnnxMl.TensorProto.newBuilder().setDataType(OnnxMl.TensorProto.DataType.DOUBLE.getNumber())
                .addDims(v.size()).addAllDoubleData(v).build();
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
                .setT(t).build();
    }

    private static OnnxMl.AttributeProto strings(String name, List<String> v) {
        OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.STRINGS);
        v.forEach(s -> b.addStrings(com.google.protobuf.ByteString.copyFromUtf8(s)));
        return b.build();
    }

    private static List<Long> range(int n) {
        List<Long> r = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            r.add(i);
        }
        return r;
    }
}
