package dev.quiver.agent.inbox;

import dev.quiver.agent.Acknowledgement;
import dev.quiver.agent.DeploymentRequest;
import dev.quiver.agent.ModelDelivery;

import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * The port that takes a delivered model into service: check it, fetch it, verify its digest, benchmark it against
 * the requirements, and register it as the challenger and start its rollout, or refuse it.
 */
public interface ModelIntake {

    /**
     * Checks what can be checked before any work (the format against the targets configured, the artifact's URI
     * against the allowed stores); fails with BAD_INPUT naming the field when the candidate cannot be taken.
     */
    void check(Candidate candidate);

    /**
     * Takes the candidate in. The outcome is {@code done} with the measured figures and the version registered, or
     * {@code refused} with the reason and the figures; the stage fails with UNAVAILABLE when a store or the predict
     * function cannot be reached (the agent tries again), and with another kind for a candidate that cannot be taken.
     * The work stops before registering anything once {@code canceled} says so.
     */
    CompletionStage<Acknowledgement.Outcome> accept(Candidate candidate, BooleanSupplier canceled);

    /**
     * A model offered for service.
     *
     * @param modelId       the model it is a version of
     * @param model         the version, format, digest and artifact
     * @param requirements  what it must meet; null: the model's own SLA from the catalog
     * @param deliveredBy   the agent that delivered it, or null
     * @param correlationId the exchange it belongs to
     * @param at            where the model's fields are in the message ({@code delivery} or {@code request.model}),
     *                      for naming a field in an error
     * @param traceparent   the W3C trace context the message came in, which the work carries on; null when none
     */
    record Candidate(String modelId, ModelDelivery.Delivery model, DeploymentRequest.Requirements requirements,
                     String deliveredBy, String correlationId, String at, String traceparent) {
    }
}
