package dev.quiver.train;

import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.json.Json;
import dev.quiver.model.ModelDescriptor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar quiver-train.jar [options]}: trains the churn model and writes it out.
 *
 * <pre>
 *   --data FILE      the CSV to train on (default platform/tools/train/data/mlc_churn.csv)
 *   --seed N         split and forest seed (default 42)
 *   --trees N        number of trees (default 100)
 *   --out DIR        write model.onnx, descriptor.json and reference-profile.json (the drift sketches of the
 *                    training rows) into DIR (the catalog's artifact directory)
 *   --store DIR      register the model as the next version of --name in the embedded store at DIR
 *   --name NAME      the model's name when registering (default churn)
 *   --min-auc X      fail unless the holdout AUC reaches X (default 0.88)
 * </pre>
 */
public final class TrainCommand {

    /** Held so the level set on it is not lost to garbage collection. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    private TrainCommand() {
    }

    public static void main(String[] args) throws Exception {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
        Path data = Path.of("platform/tools/train/data/mlc_churn.csv");
        long seed = 42;
        int trees = 100;
        Path out = null;
        Path store = null;
        String name = "churn";
        double minAuc = 0.88;
        List<String> a = new ArrayList<>(List.of(args));
        while (!a.isEmpty()) {
            String flag = a.remove(0);
            if (a.isEmpty()) {
                usage("missing value after " + flag);
            }
            String v = a.remove(0);
            switch (flag) {
                case "--data" -> data = Path.of(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--trees" -> trees = Integer.parseInt(v);
                case "--out" -> out = Path.of(v);
                case "--store" -> store = Path.of(v);
                case "--name" -> name = v;
                case "--min-auc" -> minAuc = Double.parseDouble(v);
                default -> usage("unknown option " + flag);
            }
        }
        if (out == null && store == null) {
            usage("give --out DIR or --store DIR");
        }
        Trainer.Result r = Trainer.train(Trainer.Options.churn(data).withSeed(seed).withTrees(trees));
        ModelDescriptor d = r.descriptor();
        System.out.printf("trained on %s rows: holdout AUC %.4f, accuracy %.4f, log-loss %.4f%n",
                d.training().get("rows"), d.metrics().get("auc"), d.metrics().get("accuracy"), d.metrics().get("log_loss"));
        System.out.println("model sha256 " + d.sha256());
        if (d.metrics().get("auc") < minAuc) {
            System.err.printf("holdout AUC %.4f is below --min-auc %.2f; nothing written%n", d.metrics().get("auc"), minAuc);
            System.exit(1);
        }
        byte[] reference = Json.MAPPER.writeValueAsBytes(r.referenceProfile(name));
        if (out != null) {
            Files.createDirectories(out);
            Files.write(out.resolve(DirectoryModelStore.ARTIFACT), r.onnx());
            Files.write(out.resolve(DirectoryModelStore.REFERENCE_PROFILE), reference);
            Json.MAPPER.writeValue(out.resolve(DirectoryModelStore.DESCRIPTOR).toFile(), d.withIdentity(name, null, d.sha256(), d.createdAt()));
            System.out.println("wrote " + out.resolve(DirectoryModelStore.ARTIFACT));
        }
        if (store != null) {
            DirectoryModelStore s = new DirectoryModelStore(store);
            long next = s.versions(name).stream().filter(v -> v.matches("\\d{1,18}")).mapToLong(Long::parseLong).max().orElse(0) + 1;
            ModelDescriptor registered = d.withIdentity(name, Long.toString(next), d.sha256(), d.createdAt());
            s.write(registered, r.onnx(), reference);
            System.out.println("registered " + name + " version " + next + " in " + store);
        }
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: quiver-train [--data FILE] [--seed N] [--trees N] [--name NAME] (--out DIR | --store DIR) [--min-auc X]");
        System.exit(2);
    }
}
