package dev.quiver.agent.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.OptionalDouble;
import java.util.concurrent.CompletionStage;

/**
 * The port to the predict function's candidate intake ({@code POST /registry/models/{model}/candidates}): it loads the
 * model, benchmarks it in the process that will serve it, and registers it as the challenger and starts the model's
 * rollout when it meets the requirements. The stage fails with UNAVAILABLE when the predict function cannot be
 * reached, and with BAD_INPUT or REJECTED, the predict function's words, for a model it cannot take.
 */
public interface Candidates {

    /**
     * Offers a model.
     *
     * @param model      the model's name
     * @param artifact   the fetched, verified files
     * @param sha256     their digest, checked again by the predict function
     * @param p99Ms      the latency bound, or empty for the model's SLA
     * @param perSecond  the throughput required, or empty for the model's SLA
     * @param by         who delivered it, for the audit log
     * @param correlationId the exchange the model was delivered in, which the rollout it starts is known by
     * @param traceparent the W3C trace context to carry on, or null
     */
    CompletionStage<Decision> offer(String model, Fetched artifact, String sha256, OptionalDouble p99Ms,
                                    OptionalDouble perSecond, String by, String correlationId, String traceparent);

    /**
     * What the predict function decided.
     *
     * @param accepted whether the model met the requirements and is rolling out
     * @param reason   why it was refused, or null
     * @param version  the version registered, or null when refused
     * @param figures  the whole answer: measured and required figures, the rollout
     */
    record Decision(boolean accepted, String reason, String version, ObjectNode figures) {
    }
}
