package dev.quiver.predict;

import dev.quiver.testing.quarkus.TempModelStore;
import ai.onnx.proto.OnnxMl;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code quiver.store.max-model-size} and {@code quiver.store.max-tensor-bytes} reach the registry: set low (but above
 * the demo churn model, 992,599 bytes with 374,848 bytes of tensors, which the catalog still imports), they refuse
 * a larger file with a 413 and a tiny file declaring a larger tensor with a 422, each naming its limit.
 */
@QuarkusTest
@QuarkusTestResource(TempModelStore.class)
@TestProfile(ModelLimitsConfigTest.LowLimits.class)
class ModelLimitsConfigTest {

    public static class LowLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quiver.store.max-model-size", "1M", "quiver.store.max-tensor-bytes", "512K");
        }
    }

    @Test
    void theConfiguredLimitsAreTheOnesApplied() throws Exception {
        given().get("/registry/models/churn").then().statusCode(200);

        Response largeFile = CraftedModelsTest.register("limited", TestModels.logistic(new float[140_000], 0f),
                TestModels.logisticDescriptor(3), Map.of());
        assertThat(largeFile.statusCode()).as(largeFile.asString()).isEqualTo(413);
        assertThat(largeFile.jsonPath().getString("field")).isEqualTo("model");
        assertThat(largeFile.jsonPath().getString("reason")).endsWith("over the limit of 1048576 bytes");

        OnnxMl.TensorProto declared = OnnxMl.TensorProto.newBuilder().setName("W")
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addDims(150_000).build();
        byte[] tiny = OnnxMl.ModelProto.newBuilder().setIrVersion(8)
                .setGraph(OnnxMl.GraphProto.newBuilder().setName("g").addInitializer(declared)).build().toByteArray();
        Response declaresMore = CraftedModelsTest.register("limited", tiny, CraftedModels.descriptor(), Map.of());
        assertThat(declaresMore.statusCode()).as(declaresMore.asString()).isEqualTo(422);
        assertThat(declaresMore.jsonPath().getString("reason"))
                .startsWith("its tensors declare 600000 bytes, over the limit of 524288 bytes");
    }
}
