package dev.quiver.drift.function;

import dev.quiver.testing.files.Repository;
import dev.quiver.testing.files.TempDirectory;
import dev.quiver.drift.capture.DirectoryProfileStore;
import dev.quiver.drift.capture.ProfileStore;
import dev.quiver.drift.capture.Profile;
import dev.quiver.inference.FeatureEncoder;
import dev.quiver.registry.Catalog;
import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.model.InputField;
import dev.quiver.json.Json;
import dev.quiver.model.ModelDescriptor;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model store seeded from the repository's catalog (so churn:1 carries its committed reference profile) and a
 * profile store holding one captured window of churn:1, as the predict function saves it: the last 1,000
 * customers of the churn data with {@code total_day_minutes} raised by 40, in two instances' halves.
 */
public class CapturedWindow implements QuarkusTestResourceLifecycleManager {

    public static final Instant WINDOW = Instant.parse("2026-11-28T03:00:00Z");
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = TempDirectory.create("quiver-drift-");
            Path root = Repository.root();
            Catalog.read(root.resolve("config/models.yaml")).seed(root.resolve("config"),
                    new DirectoryModelStore(dir.resolve("models")));
            ModelDescriptor d = Json.MAPPER.readValue(root.resolve("config/models/churn/1/descriptor.json").toFile(),
                    ModelDescriptor.class);
            List<Map<String, Object>> rows = rows(root.resolve("platform/tools/train/data/mlc_churn.csv"), d.inputs(), 4000, 5000);
            ProfileStore store = store(dir);
            store.save("i-1", window(d, rows.subList(0, 500)));
            store.save("i-2", window(d, rows.subList(500, 1000)));
            // the window's predictions, by request id, for labels to be matched with: every score 0.5, label "no"
            List<dev.quiver.drift.capture.LoggedPrediction> logged = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                logged.add(new dev.quiver.drift.capture.LoggedPrediction("w-" + i, 0, 0.5, "no"));
            }
            store.appendPredictions("i-1", "churn", "1", WINDOW, logged.subList(0, 500));
            store.appendPredictions("i-2", "churn", "1", WINDOW, logged.subList(500, 1000));
            // an earlier window with too few rows to judge
            Profile.Saved small = window(d, rows.subList(0, 12));
            store.save("i-1", new Profile.Saved("churn", "1", WINDOW.minusSeconds(3600), small.rows(), small.labels(),
                    small.labelCounts(), small.numeric(), small.moments(), small.categoryNames(), small.categories(),
                    small.score(), small.scoreHistogram()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            closeWriter();
        }
        Map<String, String> config = new LinkedHashMap<>(storeConfig(dir));
        config.put("quiver.store.path", dir.resolve("models").toString());
        config.put("quiver.drift.options", Repository.path("config/drift.yaml").toString());
        config.put("quiver.drift.service-levels", Repository.path("config/models.yaml").toString());
        config.put("quiver.agents.directory", Repository.path("config/agents.yaml").toString());
        config.put("quiver.audit.path", dir.resolve("audit").toString());
        return config;
    }

    /** The store the window is written to, as the predict function's instances would. */
    protected ProfileStore store(Path dir) {
        return new DirectoryProfileStore(dir.resolve("capture"));
    }

    /** Releases what {@link #store} opened for writing the window. */
    protected void closeWriter() {
    }

    /** The drift function's settings that point it at that store. */
    protected Map<String, String> storeConfig(Path dir) {
        return Map.of("quiver.capture.path", dir.resolve("capture").toString());
    }

    private static Profile.Saved window(ModelDescriptor d, List<Map<String, Object>> rows) {
        double[] encoded = new FeatureEncoder(d.inputs()).encodeDouble(rows);
        double[] p = new double[rows.size() * 2];
        Arrays.fill(p, 0.5);
        Profile.Saved s = Profile.reference("churn", d.inputs(), d.labels(), encoded, rows.size(), p, WINDOW);
        return new Profile.Saved("churn", "1", WINDOW, s.rows(), s.labels(), s.labelCounts(), s.numeric(), s.moments(),
                s.categoryNames(), s.categories(), s.score(), s.scoreHistogram());
    }

    private static List<Map<String, Object>> rows(Path csv, List<InputField> fields, int from, int to) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(csv)) {
            List<String> header = Arrays.stream(r.readLine().split(",")).map(h -> h.replace("\"", "")).toList();
            String line;
            int i = 0;
            while ((line = r.readLine()) != null) {
                if (i >= from && i < to) {
                    String[] v = line.replace("\"", "").split(",");
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (InputField f : fields) {
                        String raw = v[header.indexOf(f.name())];
                        row.put(f.name(), f.type() == InputField.Type.CATEGORY ? raw
                                : Double.parseDouble(raw) + (f.name().equals("total_day_minutes") ? 40 : 0));
                    }
                    out.add(row);
                }
                i++;
            }
        }
        return out;
    }

    @Override
    public void stop() {
        TempDirectory.delete(dir);
    }
}
