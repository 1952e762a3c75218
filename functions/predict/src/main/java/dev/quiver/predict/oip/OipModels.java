package dev.quiver.predict.oip;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/** The JSON shapes of the Open Inference Protocol V2 REST API, as its OpenAPI description names them. */
final class OipModels {

    private OipModels() {
    }

    record ServerMetadata(String name, String version, List<String> extensions) {
    }

    record MetadataTensor(String name, String datatype, long[] shape) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ModelMetadata(String name, List<String> versions, String platform, List<MetadataTensor> inputs,
                         List<MetadataTensor> outputs, Map<String, String> properties) {
    }

    record RequestInput(String name, long[] shape, String datatype, Map<String, Object> parameters, JsonNode data) {
    }

    record RequestOutput(String name, Map<String, Object> parameters) {
    }

    record InferenceRequest(String id, Map<String, Object> parameters, List<RequestInput> inputs,
                            List<RequestOutput> outputs) {
    }

    record ResponseOutput(String name, long[] shape, String datatype, Object data) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InferenceResponse(String modelName, String modelVersion, String id, List<ResponseOutput> outputs) {
    }
}
