package dev.quiver.testing.nativeimage;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The records and enums a native image must register for Jackson, found in the classes beside an anchor class. */
public final class Records {

    private Records() {
    }

    /**
     * The binary names of every record and enum in {@code packages} (and their sub-packages) of the directory or jar
     * that holds {@code anchor}, sorted.
     */
    public static List<String> in(Class<?> anchor, List<String> packages) throws IOException, URISyntaxException,
            ClassNotFoundException {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(location)) {
            collect(location, packages, anchor.getClassLoader(), out);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(location, Map.of())) {
                collect(jar.getPath("/"), packages, anchor.getClassLoader(), out);
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * The records and enums of {@code packages} (beside {@code anchor}) that {@code registered} leaves out; fails when
     * those packages hold none, or a registered name is not a class, so that a moved package cannot pass unseen.
     */
    public static List<String> missing(List<String> registered, Class<?> anchor, List<String> packages)
            throws IOException, URISyntaxException, ClassNotFoundException {
        List<String> bound = in(anchor, packages);
        if (bound.isEmpty()) {
            throw new IllegalStateException("no record or enum in " + packages + " beside " + anchor.getName());
        }
        for (String name : registered) {
            Class.forName(name, false, anchor.getClassLoader());
        }
        List<String> out = new ArrayList<>(bound);
        out.removeAll(registered);
        return out;
    }

    private static void collect(Path root, List<String> packages, ClassLoader loader, List<String> out)
            throws IOException, ClassNotFoundException {
        List<Path> classes;
        try (Stream<Path> s = Files.walk(root)) {
            classes = s.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (Path p : classes) {
            String name = root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
            if (packages.stream().noneMatch(k -> name.startsWith(k + "."))) {
                continue;
            }
            Class<?> c = Class.forName(name, false, loader);
            if (c.isRecord() || c.isEnum()) {
                out.add(name);
            }
        }
    }
}
