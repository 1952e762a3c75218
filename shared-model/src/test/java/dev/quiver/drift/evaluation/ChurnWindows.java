package dev.quiver.drift.evaluation;

import dev.quiver.drift.capture.DirectoryProfileStore;
import dev.quiver.drift.capture.LoggedPrediction;
import dev.quiver.drift.capture.Profile;
import dev.quiver.drift.capture.ProfileStore;
import dev.quiver.inference.FeatureEncoder;
import dev.quiver.json.Json;
import dev.quiver.model.InputField;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.registry.Catalog;
import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.testing.FeatureFixtures;

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
 * directory profile store, with windows of churn:1 written as the predict function's instances save them.
 * {@link #captured} gives the drift function's own test world: the last 1,000 customers of the churn data with
 * {@code total_day_minutes} raised by 40, in two instances' halves, each row predicted 0.5 and "no", and an earlier
 * window of 12 rows.
 */
final class ChurnWindows {

    /** The window the predict function captured. */
    static final Instant WINDOW = Instant.parse("2026-11-28T03:00:00Z");
    /** An earlier window, too small to judge. */
    static final Instant SMALL_WINDOW = WINDOW.minusSeconds(3600);

    final DirectoryModelStore models;
    final ProfileStore profiles;
    private final ModelDescriptor churn;

    private ChurnWindows(Path dir) {
        Path root = FeatureFixtures.repositoryRoot();
        this.models = new DirectoryModelStore(dir.resolve("models"));
        Catalog.read(root.resolve("config/models.yaml")).seed(root.resolve("config"), models);
        this.profiles = new DirectoryProfileStore(dir.resolve("capture"));
        try {
            this.churn = Json.MAPPER.readValue(root.resolve("config/models/churn/1/descriptor.json").toFile(),
                    ModelDescriptor.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The catalog's models, nothing captured. */
    static ChurnWindows empty(Path dir) {
        return new ChurnWindows(dir);
    }

    /** The catalog's models and churn:1's captured windows, as described above. */
    static ChurnWindows captured(Path dir) {
        ChurnWindows w = new ChurnWindows(dir);
        List<Map<String, Object>> rows = w.rows(4000, 5000, 40);
        w.profiles.save("i-1", w.window(WINDOW, rows.subList(0, 500)));
        w.profiles.save("i-2", w.window(WINDOW, rows.subList(500, 1000)));
        List<LoggedPrediction> logged = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            logged.add(new LoggedPrediction("w-" + i, 0, 0.5, "no"));
        }
        w.profiles.appendPredictions("i-1", "churn", "1", WINDOW, logged.subList(0, 500));
        w.profiles.appendPredictions("i-2", "churn", "1", WINDOW, logged.subList(500, 1000));
        w.profiles.save("i-1", w.window(SMALL_WINDOW, rows.subList(0, 12)));
        return w;
    }

    /** Saves, as {@code instance}, a window of churn:1 holding rows {@code from} to {@code to} of the churn data. */
    ChurnWindows save(String instance, Instant start, int from, int to, double dayMinutesShift) {
        profiles.save(instance, window(start, rows(from, to, dayMinutesShift)));
        return this;
    }

    /** A profile of churn:1 over {@code rows}, every prediction 0.5. */
    private Profile.Saved window(Instant start, List<Map<String, Object>> rows) {
        double[] encoded = new FeatureEncoder(churn.inputs()).encodeDouble(rows);
        double[] p = new double[rows.size() * 2];
        Arrays.fill(p, 0.5);
        Profile.Saved s = Profile.reference("churn", churn.inputs(), churn.labels(), encoded, rows.size(), p, start);
        return new Profile.Saved("churn", "1", start, s.rows(), s.labels(), s.labelCounts(), s.numeric(), s.moments(),
                s.categoryNames(), s.categories(), s.score(), s.scoreHistogram());
    }

    /** Rows {@code from} to {@code to} (exclusive) of the churn data, {@code total_day_minutes} raised by a shift. */
    private List<Map<String, Object>> rows(int from, int to, double dayMinutesShift) {
        Path csv = FeatureFixtures.repositoryRoot().resolve("platform/tools/train/data/mlc_churn.csv");
        List<Map<String, Object>> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(csv)) {
            List<String> header = Arrays.stream(r.readLine().split(",")).map(h -> h.replace("\"", "")).toList();
            String line;
            for (int i = 0; (line = r.readLine()) != null && i < to; i++) {
                if (i < from) {
                    continue;
                }
                String[] v = line.replace("\"", "").split(",");
                Map<String, Object> row = new LinkedHashMap<>();
                for (InputField f : churn.inputs()) {
                    String raw = v[header.indexOf(f.name())];
                    row.put(f.name(), f.type() == InputField.Type.CATEGORY ? raw
                            : Double.parseDouble(raw) + (f.name().equals("total_day_minutes") ? dayMinutesShift : 0));
                }
                out.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
