package dev.quiver.wiring.features;

import dev.quiver.feature.FeatureView;
import dev.quiver.feature.FileOnlineStore;
import dev.quiver.feature.Materializer;
import dev.quiver.feature.FeatureWriter;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * At start, with {@code quiver.features.load-demo} on and the embedded store, loads each view's batch source
 * into the store when nothing was ever written to it, so that the function serves the demo customers right
 * after {@code git clone} and the run command. A source that is missing or bad is logged and skipped: the
 * function still starts. Redis is never loaded here; use the {@code materialize} command.
 */
@ApplicationScoped
public class DemoLoad {

    private static final Logger LOG = Logger.getLogger(DemoLoad.class);

    /** Rows per store write. */
    static final int BATCH_ROWS = 1000;

    void load(@Observes StartupEvent event, FeatureStoreConfig config, FeatureWriter features) {
        if (!config.loadDemo() || !(features.store() instanceof FileOnlineStore store) || !store.neverWritten()) {
            // a store written before is not replayed here just to count its rows: that would put the replay of its
            // whole log on the start's path; views added since are loaded with the materialize command
            return;
        }
        Instant now = Instant.now();
        for (FeatureView view : features.definitions().views()) {
            if (view.source() == null || store.size(view.name()) > 0) {
                continue;
            }
            Path file = features.definitions().sourceFile(view);
            if (!Files.isRegularFile(file)) {
                LOG.warnf("feature view %s: its batch source %s is not there; nothing loaded", view.name(),
                        file.toAbsolutePath());
                continue;
            }
            try {
                Materializer.Result r = new Materializer(features, BATCH_ROWS).load(view, file, view.source(), now);
                LOG.infof("feature view %s: loaded %d rows of %s into the empty embedded store", view.name(), r.written(),
                        file);
            } catch (RuntimeException e) {
                LOG.warnf("feature view %s: its batch source %s was not loaded: %s", view.name(), file, e.getMessage());
            }
        }
    }
}
