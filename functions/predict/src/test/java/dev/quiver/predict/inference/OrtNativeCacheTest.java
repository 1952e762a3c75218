package dev.quiver.predict.inference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class OrtNativeCacheTest {

    private static final ClassLoader LOADER = OrtNativeCacheTest.class.getClassLoader();

    @TempDir
    Path root;

    @Test
    void unpacksThisPlatformsLibrariesOnceAndReusesThem() throws Exception {
        String platform = OrtNativeCache.platform().orElse(null);
        assumeTrue(platform != null && platform.startsWith("linux"), "the check reads linux library names");

        Path dir = OrtNativeCache.prepare(root, LOADER).orElseThrow();
        assertTrue(dir.getFileName().toString().startsWith("onnxruntime-" + platform + "-"), dir.toString());
        for (String name : new String[] {"libonnxruntime.so", "libonnxruntime4j_jni.so"}) {
            try (InputStream in = LOADER.getResourceAsStream("ai/onnxruntime/native/" + platform + "/" + name)) {
                assertArrayEquals(in.readAllBytes(), Files.readAllBytes(dir.resolve(name)), name);
            }
        }
        try (var entries = Files.list(root)) {
            assertEquals(1, entries.count(), "no staging directory is left beside the cache");
        }

        FileTime before = Files.getLastModifiedTime(dir.resolve("libonnxruntime.so"));
        Files.setLastModifiedTime(dir.resolve("libonnxruntime.so"), FileTime.fromMillis(before.toMillis() - 60_000));
        assertEquals(Optional.of(dir), OrtNativeCache.prepare(root, LOADER));
        assertEquals(before.toMillis() - 60_000, Files.getLastModifiedTime(dir.resolve("libonnxruntime.so")).toMillis(),
            "a complete cache is used as it is, not written again");
    }

    @Test
    void anIncompleteCacheIsFilledAgain() throws Exception {
        assumeTrue(OrtNativeCache.platform().filter(p -> p.startsWith("linux")).isPresent());
        Path dir = OrtNativeCache.prepare(root, LOADER).orElseThrow();
        Files.delete(dir.resolve("libonnxruntime4j_jni.so"));

        assertEquals(Optional.of(dir), OrtNativeCache.prepare(root, LOADER));
        assertTrue(Files.isRegularFile(dir.resolve("libonnxruntime4j_jni.so")));
        assertTrue(Files.isRegularFile(dir.resolve("libonnxruntime.so")));
    }

    @Test
    void nothingWhenTheJarHasNoLibrariesForThisPlatform() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertEquals(Optional.empty(), OrtNativeCache.prepare(root, empty));
        }
        try (var entries = Files.list(root)) {
            assertEquals(0, entries.count());
        }
    }

    @Test
    void nothingWhenTheCacheCannotBeWritten() throws Exception {
        Path notADirectory = Files.writeString(root.resolve("cache"), "a file where the cache should be");
        assertEquals(Optional.empty(), OrtNativeCache.prepare(notADirectory.resolve("native"), LOADER));
    }

    @Test
    void aPathTheUserSetIsKept() {
        String before = System.getProperty(OrtNativeCache.PROPERTY);
        try {
            System.setProperty(OrtNativeCache.PROPERTY, root.toString());
            OrtNativeCache.install();
            assertEquals(root.toString(), System.getProperty(OrtNativeCache.PROPERTY));
        } finally {
            if (before == null) {
                System.clearProperty(OrtNativeCache.PROPERTY);
            } else {
                System.setProperty(OrtNativeCache.PROPERTY, before);
            }
        }
    }
}
