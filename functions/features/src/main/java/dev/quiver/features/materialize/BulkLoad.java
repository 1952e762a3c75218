package dev.quiver.features.materialize;

import dev.quiver.error.Check;
import dev.quiver.feature.FeatureView;
import dev.quiver.feature.Materializer;
import dev.quiver.feature.FeatureWriter;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads files into views of the configured online store, as the {@code materialize} command asks: each file is
 * checked whole before its first row is written (a bad file writes nothing), then written in batches of
 * {@value #BATCH_ROWS} rows, the newest event time per entity winning.
 */
@ApplicationScoped
public class BulkLoad {

    /** Rows per store write: one Redis pipeline each, well inside the call timeout. */
    static final int BATCH_ROWS = 256;

    private final FeatureWriter features;
    private final Materializer materializer;
    private final Clock clock;

    public BulkLoad(FeatureWriter features) {
        this.features = features;
        this.materializer = new Materializer(features, BATCH_ROWS);
        this.clock = Clock.systemUTC();
    }

    /** Loads what {@code args} name; BAD_INPUT or NOT_FOUND, naming the argument or line, when it cannot. */
    public List<Materializer.Result> run(MaterializeArgs args) {
        List<FeatureView> views;
        if (args.view() != null) {
            views = List.of(features.definitions().view(args.view(), "--view"));
        } else {
            views = features.definitions().views().stream().filter(v -> v.source() != null).toList();
            Check.that(!views.isEmpty(), "--view", "no feature view declares a batch source; name one with --view and give --file");
            Check.that(args.file() == null || views.size() == 1, "--view",
                    "--file loads one view; name it with --view (views with a batch source: "
                            + views.stream().map(FeatureView::name).toList() + ")");
        }
        Instant loadTime = args.timestamp() != null ? args.timestamp() : clock.instant();
        List<Materializer.Result> results = new ArrayList<>();
        for (FeatureView view : views) {
            results.add(load(view, args.file(), loadTime));
        }
        return results;
    }

    /**
     * Loads {@code file} into {@code view}, or the view's batch source when {@code file} is null. A file of one's
     * own carries its join keys: the source's row numbering (for data without ids) applies to the source's file
     * only; its timestamp column applies to both.
     */
    public Materializer.Result load(FeatureView view, Path file, Instant loadTime) {
        FeatureView.BatchSource source = view.source();
        Path path;
        if (file == null) {
            Check.that(source != null, "--file", "feature view '" + view.name() + "' has no batch source; give the file to load");
            path = features.definitions().sourceFile(view);
        } else {
            path = file;
            source = source == null ? null : new FeatureView.BatchSource(file.toString(), null, source.timestampField());
        }
        Check.that(Files.isRegularFile(path), file != null ? "--file" : "feature_views." + view.name() + ".source.path",
                "no such file: " + path.toAbsolutePath());
        return materializer.load(view, path, source, loadTime);
    }
}
