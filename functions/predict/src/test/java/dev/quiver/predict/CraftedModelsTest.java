package dev.quiver.predict;

import dev.quiver.testing.quarkus.TempModelStore;
import dev.quiver.testing.security.TestKeys;
import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.json.Json;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.registry.ModelRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Models crafted to make ONNX Runtime read a file outside them, through the function's own doors: every one is refused
 * at registration with a 422 naming the tensor, before the runtime sees it; a version planted straight in the store
 * directory fails to load without the runtime reading the file it names; the answer never tells whether a file outside
 * exists; and a model whose data really is in files of its own travels with them and serves.
 *
 * <p>Each model adds its input to two floats kept "outside"; the file outside holds 1234.5 and -42.25, so an answer
 * that carried them would show it.
 */
@QuarkusTest
@QuarkusTestResource(TempModelStore.class)
class CraftedModelsTest {

    private static final String SECRET_VALUE = "1234.5";

    private static Path storeRoot() {
        return Path.of(ConfigProvider.getConfig().getValue("quiver.store.path", String.class));
    }

    /** A file outside every model, beside the store, with known bytes. */
    private static Path secret(String name) throws IOException {
        Path dir = Files.createDirectories(storeRoot().toAbsolutePath().getParent().resolve("outside"));
        return Files.write(dir.resolve(name), CraftedModels.floats(1234.5f, -42.25f));
    }

    /** A caller allowed to register and move aliases. */
    static RequestSpecification deployer() {
        return given().auth().oauth2(TestKeys.DEPLOY);
    }

    static Response register(String model, byte[] onnx, ModelDescriptor d, Map<String, byte[]> externalData)
            throws Exception {
        RequestSpecification r = deployer().multiPart("model", "model.onnx", onnx, "application/octet-stream")
                .multiPart("descriptor", TestModels.json(d), "application/json");
        for (Map.Entry<String, byte[]> e : externalData.entrySet()) {
            r = r.multiPart("external_data", e.getKey(), e.getValue(), "application/octet-stream");
        }
        return r.post("/registry/models/" + model + "/versions");
    }

    private static Response register(byte[] onnx) throws Exception {
        return register("crafted", onnx, CraftedModels.descriptor(), Map.of());
    }

    @Test
    void everyCraftedModelIsRefusedNamingItsTensorAndNoneIsStored() throws Exception {
        Path secret = secret("registered.bin");
        // climbs out of whatever directory the model is loaded from, to the file outside
        String climb = "../../../../../../../../../../../.." + secret;
        Map<byte[], String> refusals = new LinkedHashMap<>();
        refusals.put(CraftedModels.initializerAt(climb), "initializer 'W' stores its data outside the model file, in '"
                + climb + "'");
        refusals.put(CraftedModels.initializerAt(secret.toString()), "initializer 'W' stores its data outside the model "
                + "file, in '" + secret + "'");
        refusals.put(CraftedModels.initializerAt("../../../../etc/passwd"), "initializer 'W' stores its data outside "
                + "the model file, in '../../../../etc/passwd'");
        refusals.put(CraftedModels.constantAt(climb), "tensor 'c' in attribute 'value' of node 'c1' (Constant) stores "
                + "its data outside the model file");
        refusals.put(CraftedModels.subgraphInitializerAt(climb), "initializer 'W' of graph 'then_body' in attribute "
                + "'then_branch' of node 'if1' (If) stores its data outside the model file");
        refusals.put(CraftedModels.sparseValuesAt(climb), "sparse initializer values 'S' stores its data outside the "
                + "model file");
        refusals.put(CraftedModels.initializerAt("w.bin"), "initializer 'W' stores its data outside the model file, in "
                + "'w.bin'; no such file travels with the model");
        refusals.put(CraftedModels.hugeDeclaredTensor(), "its tensors declare 400000000000 bytes, over the limit of "
                + "1073741824 bytes; the largest is initializer 'W'");

        for (Map.Entry<byte[], String> e : refusals.entrySet()) {
            Response refused = register(e.getKey());

            assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(422);
            assertThat(refused.jsonPath().getString("field")).isEqualTo("model");
            assertThat(refused.jsonPath().getString("reason")).startsWith(e.getValue());
            assertThat(refused.asString()).doesNotContain(SECRET_VALUE);
        }
        given().get("/registry/models/crafted").then().statusCode(404);
        assertThat(storeRoot().resolve("crafted")).doesNotExist();
    }

    @Test
    void theAnswerIsTheSameWhetherTheFileOutsideExistsOrNot() throws Exception {
        Path secret = secret("maybe.bin");
        byte[] absolute = CraftedModels.initializerAt(secret.toString());
        byte[] climbing = CraftedModels.initializerAt("../../../../../../../../../../../.." + secret);

        Response absoluteExisting = register(absolute);
        Response climbingExisting = register(climbing);
        Files.delete(secret);
        Response absoluteMissing = register(absolute);
        Response climbingMissing = register(climbing);

        assertThat(absoluteExisting.statusCode()).isEqualTo(422).isEqualTo(absoluteMissing.statusCode());
        assertThat(absoluteExisting.asString()).isEqualTo(absoluteMissing.asString());
        assertThat(climbingExisting.statusCode()).isEqualTo(422).isEqualTo(climbingMissing.statusCode());
        assertThat(climbingExisting.asString()).isEqualTo(climbingMissing.asString());
    }

    @Test
    void aVersionPlantedInTheStoreFailsToLoadWithoutTheRuntimeReadingTheFileOutside() throws Exception {
        Path secret = secret("planted.bin");
        // from <store>/planted/1: up to <store>/.., where "outside" is
        plant("planted", CraftedModels.initializerAt("../../../outside/planted.bin"));
        assertThat(storeRoot().resolve("planted/1/../../../outside/planted.bin").normalize())
                .isEqualTo(secret.normalize());
        Path linked = plant("planted-link", CraftedModels.initializerAt("w.bin"));
        Files.createSymbolicLink(linked.resolve("w.bin"), secret);
        Path absolute = plant("planted-absolute", CraftedModels.constantAt(secret.toString()));

        for (Path version : List.of(storeRoot().resolve("planted/1"), linked, absolute)) {
            String model = version.getParent().getFileName().toString();

            Response alias = deployer().contentType(ContentType.JSON).body(Map.of("version", "1"))
                    .put("/registry/models/" + model + "/aliases/champion");
            Response infer = given().contentType(ContentType.JSON)
                    .body(Map.of("inputs", List.of(Map.of("name", "x", "shape", List.of(1, 2), "datatype", "FP32",
                            "data", List.of(0, 0)))))
                    .post("/v2/models/" + model + "/versions/1/infer");

            assertThat(alias.statusCode()).as(alias.asString()).isEqualTo(422);
            assertThat(alias.jsonPath().getString("reason")).as(model)
                    .startsWith("stored version " + model + ":1 cannot be loaded: ")
                    .contains("stores its data outside the model file");
            assertThat(infer.statusCode()).as(infer.asString()).isEqualTo(422);
            assertThat(alias.asString()).doesNotContain(SECRET_VALUE);
            assertThat(infer.asString()).doesNotContain(SECRET_VALUE);
            given().get("/registry/models/" + model).then().statusCode(200)
                    .body("aliases", org.hamcrest.Matchers.anEmptyMap());
        }
    }

    @Test
    void aModelWhoseDataTravelsWithItRegistersAndServes() throws Exception {
        float[] w = {0.5f, -1.0f, 2.0f};
        float bias = -0.25f;
        TestModels.WithData m = TestModels.logisticWithExternalWeights(w, bias, "weights/w.bin", 16);
        ModelDescriptor d = TestModels.logisticDescriptor(3);

        Response withoutData = register("external-scorer", m.onnx(), d, Map.of());
        assertThat(withoutData.statusCode()).as(withoutData.asString()).isEqualTo(422);
        assertThat(withoutData.jsonPath().getString("reason")).contains("no such file travels with the model");
        Response unnamedPart = register("external-scorer", m.onnx(), d, Map.of(m.location(), m.data(),
                "extra.bin", new byte[4]));
        assertThat(unnamedPart.statusCode()).as(unnamedPart.asString()).isEqualTo(422);
        assertThat(unnamedPart.jsonPath().getString("field")).isEqualTo("external_data");
        Response climbingPart = register("external-scorer", m.onnx(), d, Map.of("../w.bin", m.data()));
        assertThat(climbingPart.statusCode()).as(climbingPart.asString()).isEqualTo(400);
        assertThat(climbingPart.jsonPath().getString("field")).isEqualTo("external_data");

        Response created = register("external-scorer", m.onnx(), d, Map.of(m.location(), m.data()));

        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.jsonPath().getString("version")).isEqualTo("1");
        assertThat(created.jsonPath().getString("sha256")).isEqualTo(ModelRegistry.sha256(m.onnx()));
        assertThat(storeRoot().resolve("external-scorer/1/weights/w.bin")).hasBinaryContent(m.data());
        deployer().contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put("/registry/models/external-scorer/aliases/champion").then().statusCode(200);

        double z = 0.5 * 1 - 1.0 * 2 + 2.0 * 0.75 + bias;
        double expected = 1 / (1 + Math.exp(-z));
        Response json = given().contentType(ContentType.JSON)
                .body(Map.of("model", "external-scorer", "rows", List.of(Map.of("x0", 1, "x1", 2, "x2", 0.75))))
                .post("/predict");
        assertThat(json.statusCode()).as(json.asString()).isEqualTo(200);
        assertThat(json.jsonPath().getDouble("predictions[0].probabilities.yes")).isCloseTo(expected, within(1e-6));
        assertThat(json.jsonPath().getString("version")).isEqualTo("1");
    }

    /** Writes version 1 of {@code model} straight into the store directory, as an older build or a person might. */
    private static Path plant(String model, byte[] onnx) throws IOException {
        Path dir = Files.createDirectories(storeRoot().resolve(model).resolve("1"));
        Files.write(dir.resolve(DirectoryModelStore.ARTIFACT), onnx);
        Json.MAPPER.writeValue(dir.resolve(DirectoryModelStore.DESCRIPTOR).toFile(),
                CraftedModels.descriptor().withIdentity(model, "1", ModelRegistry.sha256(onnx), null));
        return dir;
    }

    /** The planted models would otherwise stay in the store the other tests of this run share. */
    @AfterAll
    static void removePlantedVersions() throws IOException {
        for (String model : List.of("planted", "planted-link", "planted-absolute")) {
            Path dir = storeRoot().resolve(model);
            if (Files.exists(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
