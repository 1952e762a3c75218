package dev.quiver.predict.inference;

import ai.djl.util.Utils;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;

/**
 * Keeps ONNX Runtime's native libraries unpacked in DJL's engine cache ({@code ~/.djl.ai/onnxruntime}, or
 * {@code $ENGINE_CACHE_DIR/onnxruntime}), and points ONNX Runtime at them.
 *
 * <p>Why: ONNX Runtime's Java binding unpacks its native libraries from its jar (20 MB on linux-x64 in 1.21) into a
 * new temporary directory at every start, about 115 ms of a 2-vCPU machine, and leaves that directory behind. With
 * {@code onnxruntime.native.path} set, it loads them from there instead. The cache is keyed by the library's CRC in
 * the jar, so another ONNX Runtime version gets its own directory. It is filled by copying into a private directory
 * and renaming that into place, so that processes starting together never load a half-written library.
 *
 * <p>A user who sets {@code onnxruntime.native.path} keeps it. Any failure (no such platform in the jar, a read-only
 * home) leaves the property unset, and ONNX Runtime unpacks as before.
 */
public final class OrtNativeCache {

    static final String PROPERTY = "onnxruntime.native.path";
    private static final String RESOURCES = "ai/onnxruntime/native/";

    private OrtNativeCache() {
    }

    /** Points ONNX Runtime at DJL's engine cache, unless {@code onnxruntime.native.path} is set. */
    public static void install() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        prepare(Utils.getEngineCacheDir("onnxruntime"), OrtNativeCache.class.getClassLoader())
            .ifPresent(dir -> System.setProperty(PROPERTY, dir.toString()));
    }

    /**
     * The directory under {@code cacheRoot} that holds this platform's ONNX Runtime libraries, unpacked now if it
     * was not there yet; empty if the jar has none for this platform or they could not be unpacked.
     */
    static Optional<Path> prepare(Path cacheRoot, ClassLoader loader) {
        Optional<String> platform = platform();
        if (platform.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = libraryNames(platform.get());
        String base = RESOURCES + platform.get() + "/";
        try {
            URL main = loader.getResource(base + names.get(0));
            if (main == null) {
                return Optional.empty();
            }
            Path dir = cacheRoot.resolve("onnxruntime-" + platform.get() + "-" + fingerprint(main));
            if (complete(dir, names)) {
                return Optional.of(dir);
            }
            if (Files.isDirectory(dir)) {
                deleteQuietly(dir, names); // left incomplete by hand: put a whole copy in its place
            }
            Files.createDirectories(cacheRoot);
            Path staging = Files.createTempDirectory(cacheRoot, ".unpacking-");
            try {
                for (String name : names) {
                    URL resource = loader.getResource(base + name);
                    if (resource == null) {
                        return Optional.empty();
                    }
                    try (InputStream in = resource.openStream()) {
                        Files.copy(in, staging.resolve(name));
                    }
                }
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException notInPlace) {
                // the copy or the rename failed; if another process put its copy in place first, the check below
                // uses that one
            } finally {
                deleteQuietly(staging, names);
            }
            return complete(dir, names) ? Optional.of(dir) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** ONNX Runtime's own name for this platform's folder in its jar, for the platforms it ships. */
    static Optional<String> platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "osx" : null;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") ? "aarch64" : null;
        return o == null || a == null ? Optional.empty() : Optional.of(o + "-" + a);
    }

    private static List<String> libraryNames(String platform) {
        String suffix = platform.startsWith("osx") ? ".dylib" : ".so";
        return List.of("libonnxruntime" + suffix, "libonnxruntime4j_jni" + suffix);
    }

    /** The entry's CRC and size when it comes from a jar (read from the jar's directory, nothing inflated). */
    private static String fingerprint(URL resource) throws IOException {
        URLConnection connection = resource.openConnection();
        if (connection instanceof JarURLConnection jar) {
            jar.setUseCaches(false);
            ZipEntry entry = jar.getJarEntry();
            String key = Long.toHexString(entry.getCrc()) + "-" + entry.getSize();
            jar.getJarFile().close();
            return key;
        }
        return "dir-" + Integer.toHexString(resource.toString().hashCode());
    }

    private static boolean complete(Path dir, List<String> names) {
        return names.stream().allMatch(name -> Files.isRegularFile(dir.resolve(name)));
    }

    private static void deleteQuietly(Path dir, List<String> names) {
        try {
            for (String name : names) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover directory is harmless: a staging one starts with a dot, and an incomplete one is not used
        }
    }
}
