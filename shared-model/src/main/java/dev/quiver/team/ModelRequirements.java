package dev.quiver.team;

import dev.quiver.agent.DeploymentRequest;
import dev.quiver.registry.Catalog;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's catalog entry written as the requirements of a {@code model_deployment_request}, in the team's strings:
 * the {@code sla}'s {@code p99_ms} as {@code "p99 <= 100 ms"}, its {@code requests_per_second} as
 * {@code "1000 req/s"}, and the formats the deployment can serve the model in: {@code "ONNX"} for a model served in
 * the predict function (ONNX Runtime), {@code "ONNX or TensorRT"} for one whose target is {@code sagemaker-gpu}
 * (an ONNX graph still runs there, and a TensorRT engine is what a GPU endpoint serves fastest). A bound the catalog
 * does not state is left out of the request.
 */
public final class ModelRequirements {

    /** The formats the predict function serves. */
    public static final String FUNCTION_FORMATS = "ONNX";

    /** The formats a SageMaker GPU endpoint serves, most preferred first. */
    public static final String GPU_FORMATS = "ONNX or TensorRT";

    private ModelRequirements() {
    }

    /**
     * The requirements for a model with this service level (null: none stated) and target (null: {@code function}).
     */
    public static DeploymentRequest.Requirements of(Catalog.Sla sla, String target) {
        String latency = sla == null || sla.p99Ms() == null ? null : "p99 <= " + number(sla.p99Ms()) + " ms";
        String throughput = sla == null || sla.requestsPerSecond() == null ? null
                : number(sla.requestsPerSecond()) + " req/s";
        return new DeploymentRequest.Requirements(latency, throughput,
                "sagemaker-gpu".equals(target) ? GPU_FORMATS : FUNCTION_FORMATS);
    }

    /** The requirements of every model of the catalog, by model name. */
    public static Map<String, DeploymentRequest.Requirements> of(Catalog catalog) {
        Map<String, DeploymentRequest.Requirements> out = new TreeMap<>();
        catalog.models().forEach(m -> out.put(m.name(), of(m.sla(), m.target())));
        return out;
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
