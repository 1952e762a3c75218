package dev.quiver.predict.registry;

import dev.quiver.predict.config.PredictConfig;
import dev.quiver.prediction.PredictionService;
import dev.quiver.prediction.acceptance.AcceptanceBenchmark;
import dev.quiver.prediction.acceptance.AcceptanceSettings;
import dev.quiver.prediction.acceptance.CandidateAcceptance;
import dev.quiver.registry.Catalog;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.rollout.Rollouts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Builds the acceptance of delivered models from configuration ({@code quiver.acceptance.*}): the benchmark's
 * warm-up, duration and concurrency (one request in flight unless set), and each model's
 * service level from the catalog for the bounds a delivery leaves unstated. A setting out of range stops the start,
 * naming it.
 */
@ApplicationScoped
public class AcceptanceWiring {

    @Produces
    @Singleton
    CandidateAcceptance acceptance(ModelRegistry registry, PredictionService predictions, Rollouts rollouts,
                                   Catalog catalog, PredictConfig config) {
        PredictConfig.Acceptance a = config.acceptance();
        AcceptanceSettings settings;
        try {
            settings = new AcceptanceSettings(a.warmup(), a.duration(), a.concurrency());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("quiver.acceptance: " + e.getMessage(), e);
        }
        return new CandidateAcceptance(registry, predictions, rollouts, catalog.slas(),
                new AcceptanceBenchmark(settings));
    }
}
