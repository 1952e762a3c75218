package dev.quiver.predict.bench;

import dev.quiver.json.Json;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.predict.inference.DjlOnnxEngine;
import dev.quiver.prediction.PredictionObserver;
import dev.quiver.prediction.PredictionService;
import dev.quiver.prediction.acceptance.AcceptanceBenchmark;
import dev.quiver.prediction.acceptance.AcceptanceReport;
import dev.quiver.prediction.acceptance.AcceptanceSettings;
import dev.quiver.prediction.acceptance.BenchmarkRows;
import dev.quiver.prediction.acceptance.Requirement;
import dev.quiver.registry.Candidate;
import dev.quiver.registry.Catalog;
import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.registry.ModelArtifact;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.testing.files.Repository;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The acceptance benchmark of the churn demo model (config/models/churn/1) as {@code POST
 * /registry/models/churn/candidates} runs it: the model loaded as an unregistered candidate beside the catalog's
 * champion, one-row requests drawn from its reference profile through {@link PredictionService#predictWith}, on the
 * same engine settings as {@link PredictionBenchmark} (one intra-op and one inter-op thread). Prints the report as
 * JSON on one line. For functions/predict/bench/acceptance-vs-jmh.sh.
 *
 * <p>Arguments: concurrency, warm-up seconds, duration seconds, rows (defaults: available processors, 5, 10,
 * {@code profile}). Rows {@code jmh}: the one row {@link PredictionBenchmark} sends at {@code rows=1}, instead of the
 * reference profile's, to compare like with like.
 */
public final class AcceptanceRun {

    private AcceptanceRun() {
    }

    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        double warmup = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        double duration = args.length > 2 ? Double.parseDouble(args[2]) : 10;
        boolean jmhRow = args.length > 3 && args[3].equals("jmh");
        Path root = Repository.root();
        Path store = Files.createTempDirectory("quiver-acceptance-");
        DirectoryModelStore models = new DirectoryModelStore(store);
        Catalog.read(root.resolve("config/models.yaml")).seed(root.resolve("config"), models);
        Path version = root.resolve("config/models/churn/1");
        try (ModelRegistry registry = new ModelRegistry(models, new DjlOnnxEngine(1, 1), Clock.systemUTC())) {
            registry.start();
            PredictionService service = new PredictionService(registry, 1000, PredictionObserver.NONE);
            ModelDescriptor d = Json.MAPPER.readValue(version.resolve("descriptor.json").toFile(), ModelDescriptor.class)
                    .withIdentity(null, null, null, null);
            Path onnx = version.resolve("model.onnx");
            try (Candidate candidate = registry.candidate("churn", d, ModelArtifact.of(onnx),
                    ModelRegistry.sha256(onnx))) {
                var profile = Json.MAPPER.readValue(version.resolve("reference-profile.json").toFile(),
                        dev.quiver.drift.capture.Profile.Saved.class);
                var rows = jmhRow ? dev.quiver.predict.ChurnRows.batch(1)
                        : BenchmarkRows.fromProfile(profile, d.inputs(), BenchmarkRows.DEFAULT_ROWS, 42);
                AcceptanceBenchmark benchmark = new AcceptanceBenchmark(new AcceptanceSettings(
                        Duration.ofMillis(Math.round(warmup * 1000)), Duration.ofMillis(Math.round(duration * 1000)),
                        concurrency));
                AcceptanceReport report = benchmark.run(service, candidate.served(), rows, Requirement.NONE);
                System.out.println(Json.MAPPER.copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(report.measured()));
            }
        } finally {
            try (var s = Files.walk(store)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
