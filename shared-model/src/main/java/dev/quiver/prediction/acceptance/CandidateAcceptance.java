package dev.quiver.prediction.acceptance;

import dev.quiver.drift.capture.Profile;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.prediction.PredictionService;
import dev.quiver.registry.Candidate;
import dev.quiver.registry.Catalog;
import dev.quiver.registry.ModelArtifact;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.rollout.RolloutPolicy;
import dev.quiver.rollout.Rollouts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Accepts or refuses a delivered model before it serves anything: checks its digest, loads it as an unregistered
 * {@link Candidate}, measures it with the {@link AcceptanceBenchmark} in this process, and only when it meets the
 * requirement registers it as the next version, points the rollout policy's challenger alias at it and starts the
 * model's configured rollout. A refused model leaves nothing behind.
 *
 * <p>The requirement's unstated bounds come from the model's service level in the catalog. The benchmark's rows
 * come from the candidate's reference profile, else the champion's, else typed placeholders ({@link BenchmarkRows}).
 *
 * <p>One acceptance runs at a time in a process (two would measure each other): a second one meanwhile is a
 * CONFLICT, as is a delivery while the model has a rollout running or paused, checked before the load. A call
 * blocks for the benchmark's warm-up and duration; call it off any event loop.
 */
public final class CandidateAcceptance {

    /**
     * What was delivered.
     *
     * @param model            the model's name
     * @param descriptor       the version's descriptor as sent (version usually unset: the registry assigns it)
     * @param artifact         the ONNX file and its external data files
     * @param sha256           the digest the sender declares for the ONNX file
     * @param referenceProfile the version's reference profile, already checked against the descriptor; null: none
     * @param requirement      the bounds the sender states; unstated ones come from the catalog
     * @param by               who delivers, for the rollout's audit log
     */
    public record Delivery(String model, ModelDescriptor descriptor, ModelArtifact artifact, String sha256,
                           byte[] referenceProfile, Requirement requirement, String by) {
    }

    /**
     * What was decided and done.
     *
     * @param decision accepted or refused
     * @param reason   why, with the measured figures; for an accepted one, also what was started
     * @param version  the version registered; null when refused
     * @param measured the benchmark's figures; null when the model did not load
     * @param required the bounds it was held to
     * @param rollout  the rollout started; null when refused or none could start (the reason says why)
     */
    public record Outcome(AcceptanceReport.Decision decision, String reason, String version,
                          AcceptanceReport.Measured measured, Requirement required, Rollouts.View rollout) {

        public boolean accepted() {
            return decision == AcceptanceReport.Decision.ACCEPTED;
        }
    }

    private final ModelRegistry registry;
    private final PredictionService predictions;
    private final Rollouts rollouts;
    private final Map<String, Catalog.Sla> slas;
    private final AcceptanceBenchmark benchmark;
    private final ReentrantLock running = new ReentrantLock();

    /** @param slas each model's service level, from the catalog: the bounds a delivery does not state */
    public CandidateAcceptance(ModelRegistry registry, PredictionService predictions, Rollouts rollouts,
                               Map<String, Catalog.Sla> slas, AcceptanceBenchmark benchmark) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.predictions = Objects.requireNonNull(predictions, "predictions");
        this.rollouts = Objects.requireNonNull(rollouts, "rollouts");
        this.slas = Map.copyOf(slas);
        this.benchmark = Objects.requireNonNull(benchmark, "benchmark");
    }

    /** Accepts or refuses {@code delivery}, as the class comment says. */
    public Outcome accept(Delivery delivery) {
        Check.required(delivery, "body");
        String model = Check.name(delivery.model(), "model");
        Requirement required = (delivery.requirement() == null ? Requirement.NONE : delivery.requirement())
                .orElse(slas.get(model));
        if (!running.tryLock()) {
            throw QuiverException.conflict("model", "another candidate is being measured in this instance; "
                    + "try again when its acceptance has answered");
        }
        try {
            checkNoRollout(model);
            Candidate candidate;
            try {
                candidate = registry.candidate(model, delivery.descriptor(), delivery.artifact(), delivery.sha256());
            } catch (QuiverException e) {
                if (e.kind() != QuiverException.Kind.REJECTED) {
                    throw e;
                }
                return new Outcome(AcceptanceReport.Decision.REFUSED, "refused: the model does not load: "
                        + e.getMessage(), null, null, required, null);
            }
            try (candidate) {
                List<Map<String, Object>> rows = rows(model, candidate.descriptor(), delivery.referenceProfile());
                AcceptanceReport report = benchmark.run(predictions, candidate.served(), rows, required);
                if (!report.accepted()) {
                    return new Outcome(report.decision(), report.reason(), null, report.measured(), required, null);
                }
                return serve(model, candidate, delivery, report);
            }
        } finally {
            running.unlock();
        }
    }

    /** Registers an accepted candidate, points the challenger alias at it and starts the rollout. */
    private Outcome serve(String model, Candidate candidate, Delivery delivery, AcceptanceReport report) {
        checkNoRollout(model);
        String version = registry.register(candidate, delivery.referenceProfile()).version();
        Optional<RolloutPolicy> policy = rollouts.configured(model);
        String challenger = policy.map(RolloutPolicy::challenger).orElse(RolloutPolicy.CHALLENGER);
        registry.setAlias(model, challenger, version);
        String reason = report.reason() + "; registered as version " + version + ", alias '" + challenger + "'";
        if (policy.isEmpty()) {
            return new Outcome(report.decision(), reason + "; no rollout started: the model declares no rollout policy",
                    version, report.measured(), report.required(), null);
        }
        try {
            Rollouts.View view = rollouts.start(model, null, delivery.by());
            return new Outcome(report.decision(), reason + "; " + policy.get().strategy().yamlName()
                    + " rollout " + view.rollout().id() + " started", version, report.measured(), report.required(),
                    view);
        } catch (QuiverException e) {
            return new Outcome(report.decision(), reason + "; no rollout started: " + e.getMessage(), version,
                    report.measured(), report.required(), null);
        }
    }

    private void checkNoRollout(String model) {
        if (rollouts.routing(model) != null) {
            throw QuiverException.conflict("model", "rollout " + rollouts.routing(model).state().id() + " of model '"
                    + model + "' is under way; promote or roll it back before delivering another candidate");
        }
    }

    /** The candidate's reference profile's rows, else the champion's, else typed placeholders. */
    private List<Map<String, Object>> rows(String model, ModelDescriptor d, byte[] referenceProfile) {
        Optional<Profile.Saved> profile = Optional.empty();
        if (referenceProfile != null) {
            profile = parse(referenceProfile);
        }
        if (profile.isEmpty()) {
            profile = championProfile(model);
        }
        return profile.map(p -> BenchmarkRows.fromProfile(p, d.inputs(), BenchmarkRows.DEFAULT_ROWS, 42))
                .orElseGet(() -> BenchmarkRows.typedDefaults(d.inputs()));
    }

    private Optional<Profile.Saved> championProfile(String model) {
        if (!registry.models().contains(model)) {
            return Optional.empty();
        }
        String champion = rollouts.configured(model).map(RolloutPolicy::champion).orElse(ModelRegistry.CHAMPION);
        String version = registry.aliases(model).get(champion);
        if (version == null) {
            return Optional.empty();
        }
        Optional<Path> file = registry.referenceProfile(model, version);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return parse(Files.readAllBytes(file.get()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Profile.Saved> parse(byte[] bytes) {
        try {
            return Optional.of(Json.MAPPER.readValue(bytes, Profile.Saved.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
