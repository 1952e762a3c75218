package dev.quiver.drift.function;

import dev.quiver.agent.DeploymentRequest;
import dev.quiver.team.ModelRequirements;
import dev.quiver.team.TeamChannel;
import dev.quiver.drift.WrittenOptions;
import dev.quiver.drift.capture.ProfileStore;
import dev.quiver.drift.evaluation.DriftService;
import dev.quiver.drift.evaluation.DriftSettings;
import dev.quiver.model.ModelKey;
import dev.quiver.registry.Catalog;
import dev.quiver.registry.ModelStore;
import dev.quiver.wiring.models.ModelStoreConfig;
import dev.quiver.wiring.models.ModelStores;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the drift function's {@link DriftService} from its settings: the model store (seeded from the catalog when
 * one is configured, whose service levels are then the requirements of its deployment requests), the drift options
 * file, and the profile store and team channel of the wiring library.
 */
@ApplicationScoped
public class DriftWiring {

    private static final Logger LOG = Logger.getLogger(DriftWiring.class);

    @Produces
    @Singleton
    DriftService driftService(DriftConfig config, ModelStoreConfig storeConfig, ProfileStore profiles, TeamChannel sink,
                              DriftTelemetry telemetry) {
        ModelStore models = ModelStores.open(storeConfig, config.store().path());
        Map<String, DeploymentRequest.Requirements> requirements = new TreeMap<>();
        config.store().catalog().map(Path::of).ifPresentOrElse(file -> {
            Catalog catalog = Catalog.read(file);
            List<ModelKey> seeded = catalog.seed(file.toAbsolutePath().getParent(), models);
            if (!seeded.isEmpty()) {
                LOG.infof("seeded %s from the catalog %s", seeded, file);
            }
            requirements.putAll(ModelRequirements.of(catalog));
        }, () -> requirements.putAll(ModelRequirements.of(Catalog.read(Path.of(config.drift().serviceLevels())))));
        Path options = Path.of(config.drift().options());
        DriftSettings settings = new DriftSettings(WrittenOptions.read(options), WrittenOptions.readAlerts(options),
                config.drift().minRows());
        return new DriftService(models, profiles, sink, settings, telemetry, Clock.systemUTC(), requirements);
    }
}
