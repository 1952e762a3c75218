package dev.quiver.testing;

import java.nio.charset.StandardCharsets;

/** Artifact bytes that {@link FakeEngine} accepts or rejects, as an ONNX runtime would a real or a broken file. */
public final class Artifacts {

    static final String MAGIC = "ONNX ";

    private Artifacts() {
    }

    /** A "model" the fake engine loads; {@code tag} makes the bytes, and so the sha256, differ per version. */
    public static byte[] model(String tag) {
        return (MAGIC + tag).getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes the fake engine refuses, like a zip uploaded in place of a model. */
    public static byte[] notAModel() {
        return "PK\u0003\u0004 a zip file".getBytes(StandardCharsets.UTF_8);
    }
}
