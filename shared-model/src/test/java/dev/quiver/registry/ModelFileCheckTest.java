package dev.quiver.registry;

import ai.onnx.proto.OnnxMl;
import dev.quiver.error.QuiverException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.quiver.error.QuiverException.Kind.BAD_INPUT;
import static dev.quiver.error.QuiverException.Kind.REJECTED;
import static dev.quiver.error.QuiverException.Kind.TOO_LARGE;
import static dev.quiver.registry.CraftedModels.external;
import static dev.quiver.registry.CraftedModels.inline;
import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The check every model passes before the runtime opens it: no tensor's data outside the model's directory, found
 * wherever the ONNX schema keeps tensors, and no model over the limits.
 */
class ModelFileCheckTest {

    @TempDir
    Path base;

    /** The version directory, inside {@link #base} so that tests can put files beside it, outside it. */
    private Path dir() throws IOException {
        return Files.createDirectories(base.resolve("store/m/1"));
    }

    private Path model(byte[] onnx) throws IOException {
        return Files.write(dir().resolve(DirectoryModelStore.ARTIFACT), onnx);
    }

    private static ModelFileCheck.Result check(Path model) {
        return ModelFileCheck.check(model, ModelLimits.DEFAULTS);
    }

    private static QuiverException refused(Path model) {
        return expect(REJECTED, "model", () -> check(model));
    }

    @Test
    void aModelThatKeepsItsDataInlinePassesWithItsSizes() throws IOException {
        Path m = model(CraftedModels.withInitializer(inline("W", 1f, 2f, 3f)));

        ModelFileCheck.Result r = check(m);

        assertThat(r.tensors()).isEqualTo(1);
        assertThat(r.tensorBytes()).isEqualTo(12);
        assertThat(r.modelBytes()).isEqualTo(Files.size(m));
        assertThat(r.externalData()).isEmpty();
    }

    @Test
    void anInitializerNamingAParentDirectoryIsRefusedNamingTheTensor() throws IOException {
        Path m = model(CraftedModels.withInitializer(external("W", "../../etc/passwd")));

        QuiverException e = refused(m);

        assertThat(e.reason()).startsWith("initializer 'W' stores its data outside the model file, in "
                + "'../../etc/passwd'; a location must be a relative path");
    }

    @Test
    void anAbsoluteLocationIsRefused() throws IOException {
        Path m = model(CraftedModels.withInitializer(external("W", "/etc/passwd")));

        assertThat(refused(m).reason()).contains("initializer 'W'").contains("'/etc/passwd'");
    }

    @Test
    void aDeepClimbOutIsRefused() throws IOException {
        Path m = model(CraftedModels.withInitializer(external("W", "weights/../../../../../../../../../etc/passwd")));

        assertThat(refused(m).reason()).contains("initializer 'W' stores its data outside the model file");
    }

    @Test
    void aLocationInsideTheDirectoryWithinItsFilePasses() throws IOException {
        Path m = model(CraftedModels.withInitializer(external("W", "weights/layer1/w.bin", 8L, 8L, 2)));
        Path data = Files.createDirectories(dir().resolve("weights/layer1")).resolve("w.bin");
        Files.write(data, CraftedModels.floats(9f, 9f, 1.5f, -2f));

        ModelFileCheck.Result r = check(m);

        assertThat(r.externalData()).containsExactly("weights/layer1/w.bin");
        assertThat(r.modelBytes()).isEqualTo(Files.size(m) + 16);
        assertThat(r.tensorBytes()).isEqualTo(8);
    }

    @Test
    void aConstantNodesTensorWithExternalDataIsFound() throws IOException {
        Path m = model(CraftedModels.withConstant(external("c", "../secret.bin")));

        assertThat(refused(m).reason()).startsWith("tensor 'c' in attribute 'value' of node 'c1' (Constant) stores "
                + "its data outside the model file, in '../secret.bin'");
    }

    @Test
    void anInitializerOfASubgraphWithExternalDataIsFound() throws IOException {
        Path m = model(CraftedModels.withSubgraphInitializer(external("W", "/etc/passwd")));

        assertThat(refused(m).reason()).startsWith("initializer 'W' of graph 'then_body' in attribute 'then_branch' "
                + "of node 'if1' (If) stores its data outside the model file, in '/etc/passwd'");
    }

    @Test
    void sparseInitializersFunctionsAndTrainingInfoAreSearchedToo() throws IOException {
        OnnxMl.TensorProto out = external("V", "../../etc/passwd");

        assertThat(refused(model(CraftedModels.withSparseInitializer(out, 4))).reason())
                .startsWith("sparse initializer values 'V' stores its data outside the model file");
        assertThat(refused(model(CraftedModels.withFunctionConstant(out))).reason())
                .startsWith("tensor 'V' in attribute 'value' of node 'fc' (Constant) in function 'f' stores");
        assertThat(refused(model(CraftedModels.withTrainingInitializer(out))).reason())
                .startsWith("initializer 'V' of graph 'init' in training info stores");
    }

    @Test
    void bytesBeyondTheEndOfTheDataFileAreRefused() throws IOException {
        Files.write(dir().resolve("w.bin"), CraftedModels.floats(1f, 2f, 3f, 4f));

        Path m = model(CraftedModels.withInitializer(external("W", "w.bin", 12L, 8L, 2)));
        assertThat(refused(m).reason()).isEqualTo("initializer 'W' reads bytes 12 to 20 of 'w.bin', which holds 16 bytes");

        // without a length the runtime reads the declared size: 8 floats
        m = model(CraftedModels.withInitializer(external("W", "w.bin", null, null, 8)));
        assertThat(refused(m).reason()).isEqualTo("initializer 'W' reads bytes 0 to 32 of 'w.bin', which holds 16 bytes");

        m = model(CraftedModels.withInitializer(external("W", "w.bin", Long.MAX_VALUE - 2, 8L, 2)));
        assertThat(refused(m).reason()).contains("reads bytes " + (Long.MAX_VALUE - 2));
    }

    @Test
    void aHugeTensorDeclaredInATinyFileIsRefusedNamingTheLimit() throws IOException {
        Path m = model(CraftedModels.withInitializer(CraftedModels.declared("W", 100_000, 100_000, 10)));
        assertThat(Files.size(m)).isLessThan(200);

        QuiverException e = refused(m);

        assertThat(e.reason()).isEqualTo("its tensors declare 400000000000 bytes, over the limit of 1073741824 bytes; "
                + "the largest is initializer 'W', 400000000000 bytes");
    }

    @Test
    void declaredSizesSaturateInsteadOfOverflowing() throws IOException {
        long d = 1L << 40;
        Path m = model(CraftedModels.withInitializer(CraftedModels.declared("W", d, d, d, d, d)));

        assertThat(refused(m).reason()).startsWith("its tensors declare more than " + Long.MAX_VALUE + " bytes");
    }

    @Test
    void aSparseTensorCountsItsDenseSize() throws IOException {
        Path m = model(CraftedModels.withSparseInitializer(inline("V", 1f, 2f), 1_000_000, 1_000_000));

        assertThat(refused(m).reason()).contains("the largest is sparse initializer 'V', 4000000000000 bytes");
    }

    @Test
    void theLimitsAreThoseGiven() throws IOException {
        Path m = model(CraftedModels.withInitializer(inline("W", new float[100])));
        Files.write(dir().resolve("w.bin"), new byte[64]);

        expect(TOO_LARGE, "model", () -> ModelFileCheck.check(m, new ModelLimits(Files.size(m) - 1, 1 << 20)));
        var e = expect(REJECTED, "model", () -> ModelFileCheck.check(m, new ModelLimits(1 << 20, 399)));
        assertThat(e.reason()).contains("over the limit of 399 bytes");
        assertThat(ModelFileCheck.check(m, new ModelLimits(Files.size(m), 400)).tensorBytes()).isEqualTo(400);

        Path withData = model(CraftedModels.withInitializer(external("W", "w.bin")));
        var tooLarge = expect(TOO_LARGE, "external_data",
                () -> ModelFileCheck.check(withData, new ModelLimits(Files.size(withData) + 63, 1 << 20)));
        assertThat(tooLarge.reason()).contains("over the limit of " + (Files.size(withData) + 63) + " bytes");
    }

    @Test
    void aDataFileThatIsASymbolicLinkLeadingOutIsRefused() throws IOException {
        Path secret = Files.write(base.resolve("secret.bin"), CraftedModels.floats(1234.5f, -42.25f));
        Files.createSymbolicLink(dir().resolve("w.bin"), secret);
        Path m = model(CraftedModels.withInitializer(external("W", "w.bin")));

        assertThat(refused(m).reason()).isEqualTo("initializer 'W' stores its data outside the model file, in "
                + "'w.bin'; no such file travels with the model: its data files must be regular files inside its "
                + "directory");
    }

    @Test
    void aDirectoryOnTheWayThatLeadsOutIsRefused() throws IOException {
        Files.write(Files.createDirectories(base.resolve("elsewhere")).resolve("w.bin"), CraftedModels.floats(1f, 2f));
        Files.createSymbolicLink(dir().resolve("weights"), base.resolve("elsewhere"));
        Path m = model(CraftedModels.withInitializer(external("W", "weights/w.bin")));

        assertThat(refused(m).reason()).contains("no such file travels with the model");
    }

    @Test
    void aLinkToAFileInsideIsFollowed() throws IOException {
        Files.write(dir().resolve("real.bin"), CraftedModels.floats(1f, 2f));
        Files.createSymbolicLink(dir().resolve("w.bin"), dir().resolve("real.bin"));
        Path m = model(CraftedModels.withInitializer(external("W", "w.bin")));

        assertThat(check(m).externalData()).containsExactly("w.bin");
    }

    @Test
    void theAnswerIsTheSameWhetherAFileOutsideExistsOrNot() throws IOException {
        Path byName = Files.write(Files.createDirectories(base.resolve("store/m/2")).resolve("model.onnx"),
                CraftedModels.withInitializer(external("W", "../secret.bin")));
        Path byLink = model(CraftedModels.withInitializer(external("W", "w.bin")));
        Path outside = dir().getParent().resolve("secret.bin");
        Path link = Files.createSymbolicLink(dir().resolve("w.bin"), outside);

        String missingByName = refused(byName).getMessage();
        String missingByLink = refused(byLink).getMessage();
        Files.write(outside, CraftedModels.floats(1f, 2f));
        String existingByName = refused(byName).getMessage();
        String existingByLink = refused(byLink).getMessage();
        Files.delete(link);
        String absent = refused(byLink).getMessage();

        assertThat(existingByName).isEqualTo(missingByName);
        assertThat(existingByLink).isEqualTo(missingByLink).isEqualTo(absent);
    }

    @Test
    void theModelFileItselfMustBeARegularFileInside() throws IOException {
        Path real = Files.write(base.resolve("elsewhere.onnx"), CraftedModels.withInitializer(inline("W", 1f)));
        Path m = Files.createSymbolicLink(dir().resolve(DirectoryModelStore.ARTIFACT), real);

        assertThat(refused(m).reason()).isEqualTo("model.onnx is not a regular file inside the model's directory");
    }

    @Test
    void externalDataEntriesAreReadStrictly() throws IOException {
        Files.write(dir().resolve("w.bin"), new byte[64]);
        OnnxMl.TensorProto.Builder base = OnnxMl.TensorProto.newBuilder().setName("W").setDataType(CraftedModels.FLOAT)
                .addDims(2).setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL);

        assertThat(refused(model(CraftedModels.withInitializer(base.clone().build()))).reason())
                .isEqualTo("initializer 'W' keeps its data outside the model file, but its data is marked external "
                        + "but names no location");
        assertThat(refused(model(CraftedModels.withInitializer(base.clone()
                .addExternalData(CraftedModels.entry("location", "w.bin"))
                .addExternalData(CraftedModels.entry("location", "../x")).build()))).reason())
                .contains("names 'location' twice");
        assertThat(refused(model(CraftedModels.withInitializer(base.clone()
                .addExternalData(CraftedModels.entry("location", "w.bin"))
                .addExternalData(CraftedModels.entry("offset", "+8")).build()))).reason())
                .contains("offset '+8' is not a whole number of bytes");
        assertThat(refused(model(CraftedModels.withInitializer(base.clone()
                .addExternalData(CraftedModels.entry("location", "w.bin"))
                .addExternalData(CraftedModels.entry("basepath", "/etc")).build()))).reason())
                .contains("has the key 'basepath'");
        assertThat(refused(model(CraftedModels.withInitializer(base.clone()
                .setDataType(OnnxMl.TensorProto.DataType.STRING.getNumber())
                .addExternalData(CraftedModels.entry("location", "w.bin")).build()))).reason())
                .contains("string tensor");
        // external data entries without the EXTERNAL marker are checked all the same
        assertThat(refused(model(CraftedModels.withInitializer(inline("W", 1f).toBuilder()
                .addExternalData(CraftedModels.entry("location", "/etc/passwd")).build()))).reason())
                .contains("in '/etc/passwd'");
        // ONNX Runtime reads this location as a memory address
        assertThat(refused(model(CraftedModels.withInitializer(external("W", "*/_ORT_MEM_ADDR_/*")))).reason())
                .contains("a location must be a relative path");
    }

    @Test
    void aFieldThatParsersWouldMergeIsRefused() throws IOException {
        Path m = model(CraftedModels.attributeWithTwoTensors(inline("c", 1f), inline("c", 2f)));

        assertThat(refused(m).reason()).isEqualTo("not an ONNX model: AttributeProto.t occurs twice; parsers would "
                + "merge the two");
    }

    @Test
    void malformedFilesAreRefused() throws IOException {
        byte[] good = CraftedModels.withInitializer(inline("W", 1f, 2f));
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 3);
        assertThat(refused(model(cut)).reason()).startsWith("not an ONNX model: ");

        byte[] wrongWireType = CraftedModels.withRawInitializer(CraftedModels.message(out -> {
            out.writeString(8, "W");
            out.writeFixed32(14, 1);
        }));
        assertThat(refused(model(wrongWireType)).reason()).contains("TensorProto.data_location (field 14) has wire type 5");

        byte[] negative = CraftedModels.withRawInitializer(CraftedModels.message(out -> out.writeInt64(1, -4)));
        assertThat(refused(model(negative)).reason()).contains("negative dimension -4");

        assertThat(refused(model(CraftedModels.nestedGraphs(40))).reason()).contains("nested more than 100 deep");
        assertThat(check(model(CraftedModels.nestedGraphs(30))).tensors()).isEqualTo(1);

        byte[] manyEntries = CraftedModels.withInitializer(external("W", "w.bin").toBuilder()
                .addAllExternalData(java.util.Collections.nCopies(20, CraftedModels.entry("checksum", "0"))).build());
        assertThat(refused(model(manyEntries)).reason()).contains("more than 16 external data entries");

        // groups in an unknown field, nested far deeper than any parser goes: refused, not a stack overflow
        byte[] groups = CraftedModels.message(out -> {
            for (int i = 0; i < 100_000; i++) {
                out.writeTag(3, com.google.protobuf.WireFormat.WIRETYPE_START_GROUP);
            }
            for (int i = 0; i < 100_000; i++) {
                out.writeTag(3, com.google.protobuf.WireFormat.WIRETYPE_END_GROUP);
            }
        });
        assertThat(refused(model(groups)).reason()).startsWith("not an ONNX model: ");

        byte[] zip = "PK\u0003\u0004 a zip file".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(refused(model(zip)).reason()).startsWith("not an ONNX model");
    }

    @Test
    void packedAndUnpackedDimsAreBothRead() throws IOException {
        byte[] unpacked = CraftedModels.withRawInitializer(CraftedModels.message(out -> {
            out.writeInt64(1, 3);
            out.writeInt64(1, 5);
            out.writeInt32(2, CraftedModels.FLOAT);
        }));
        byte[] packed = CraftedModels.withRawInitializer(CraftedModels.message(out -> {
            out.writeTag(1, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(2);
            out.writeInt64NoTag(3);
            out.writeInt64NoTag(5);
            out.writeInt32(2, CraftedModels.FLOAT);
        }));

        assertThat(check(model(unpacked)).tensorBytes()).isEqualTo(60);
        assertThat(check(model(packed)).tensorBytes()).isEqualTo(60);
    }

    @Test
    void aFileThatIsNoProtobufAtAllHoldsNoTensorAndIsLeftToTheRuntime() throws IOException {
        // 'O' is field 9 with wire type 7, which every protobuf parser refuses on the first byte
        ModelFileCheck.Result r = check(model("ONNX v1".getBytes(StandardCharsets.US_ASCII)));

        assertThat(r.tensors()).isZero();
        assertThat(r.externalData()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../w.bin", "/etc/passwd", "a/../w.bin", "./w.bin", ".hidden", "a//w.bin", "w.bin/",
            "C:/w.bin", "C:\\w.bin", "a\\..\\w.bin", "w\u0000.bin", "wé.bin", "*/_ORT_MEM_ADDR_/*", "",
            "model.onnx", "DESCRIPTOR.json", "reference-profile.json", "a/b/c/d/e/f/g/h/i.bin"})
    void locationsThatAreNotPlainRelativePathsAreRefusedOnTheirText(String location) {
        expect(BAD_INPUT, "external_data", () -> ModelFileCheck.location(location, "external_data"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"w.bin", "weights/w.bin", "model.onnx.data", "a/b/c/d/e/f/g/w.bin", "x_1-2.BIN",
            "sub/model.onnx"})
    void plainRelativePathsAreAccepted(String location) {
        assertThat(ModelFileCheck.location(location, "external_data")).isEqualTo(location);
    }

    @Test
    void limitsMustBePositiveAndDefaultToOneGibibyteEach() {
        assertThat(ModelLimits.DEFAULTS).isEqualTo(new ModelLimits(1L << 30, 1L << 30));
        assertThatThrownBy(() -> new ModelLimits(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModelLimits(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anArtifactsLocationsAreCheckedWhenItIsMade() {
        Path any = base.resolve("any");
        var e = catchThrowableOfType(() -> new ModelArtifact(any, java.util.Map.of("../w.bin", any)),
                QuiverException.class);
        assertThat(e.kind()).isEqualTo(BAD_INPUT);
        assertThat(e.field()).isEqualTo("external_data");
        assertThat(new ModelArtifact(any, java.util.Map.of("b.bin", any, "a.bin", any)).externalData().keySet())
                .containsExactly("a.bin", "b.bin");
        assertThat(ModelArtifact.of(any).externalData()).isEmpty();
    }
}
