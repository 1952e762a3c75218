package dev.quiver.registry;

import dev.quiver.json.Json;
import dev.quiver.model.ModelDescriptor;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The embedded model store: a directory laid out as {@code <root>/<model>/<version>/model.onnx} with
 * {@code descriptor.json} beside it (and the reference profile and external data files, when the version has them),
 * and {@code <root>/<model>/aliases.json}.
 *
 * <p>A version is written into a hidden staging directory and renamed into place, so a crash leaves either
 * the whole version or nothing; aliases are written to a temporary file and renamed over the old one.
 */
public final class DirectoryModelStore implements ModelStore {

    public static final String ARTIFACT = "model.onnx";
    public static final String DESCRIPTOR = "descriptor.json";
    public static final String ALIASES = "aliases.json";
    /** The version's reference profile for drift: sketches of its training data, written by the training command. */
    public static final String REFERENCE_PROFILE = "reference-profile.json";

    /** What {@link Check#name} accepts; anything else (such as "..") could resolve outside the root. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private final Path root;
    /** By model directory: a file lock is held by the JVM, so the threads of one take turns before they take it. */
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    public DirectoryModelStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the model store at " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public List<String> modelNames() {
        return list(root).filter(p -> !list(p).filter(v -> Files.exists(v.resolve(DESCRIPTOR))).toList().isEmpty())
                .map(p -> p.getFileName().toString()).sorted().toList();
    }

    @Override
    public List<String> versions(String model) {
        if (!isName(model)) {
            return List.of();
        }
        return list(root.resolve(model)).filter(v -> Files.exists(v.resolve(DESCRIPTOR)))
                .map(p -> p.getFileName().toString()).sorted(Versions.ORDER).toList();
    }

    @Override
    public Optional<ModelDescriptor> descriptor(String model, String version) {
        if (!isName(model) || !isName(version)) {
            return Optional.empty();
        }
        Path file = root.resolve(model).resolve(version).resolve(DESCRIPTOR);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), ModelDescriptor.class));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable descriptor " + file, e);
        }
    }

    @Override
    public Optional<Path> artifact(String model, String version) {
        if (!isName(model) || !isName(version)) {
            return Optional.empty();
        }
        Path file = root.resolve(model).resolve(version).resolve(ARTIFACT);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public Optional<Path> referenceProfile(String model, String version) {
        if (!isName(model) || !isName(version)) {
            return Optional.empty();
        }
        Path file = root.resolve(model).resolve(version).resolve(REFERENCE_PROFILE);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public void write(ModelDescriptor descriptor, byte[] artifact, byte[] referenceProfile) {
        write(descriptor, staging -> Files.write(staging.resolve(ARTIFACT), artifact), referenceProfile);
    }

    /**
     * Writes the ONNX file and its external data files, each at its location inside the version's directory (the
     * locations are plain relative paths, checked again here), in the same staging directory as the rest.
     */
    @Override
    public void write(ModelDescriptor descriptor, ModelArtifact artifact, byte[] referenceProfile) {
        write(descriptor, staging -> {
            Files.copy(artifact.model(), staging.resolve(ARTIFACT));
            for (Map.Entry<String, Path> e : artifact.externalData().entrySet()) {
                Path target = staging.resolve(ModelFileCheck.location(e.getKey(), "external_data"));
                Files.createDirectories(target.getParent());
                Files.copy(e.getValue(), target);
            }
        }, referenceProfile);
    }

    /** Writes what goes into the version's staging directory besides descriptor and reference profile. */
    private interface StagedFiles {
        void writeTo(Path staging) throws IOException;
    }

    private void write(ModelDescriptor descriptor, StagedFiles artifacts, byte[] referenceProfile) {
        Check.name(descriptor.name(), "descriptor.name");
        Check.name(descriptor.version(), "descriptor.version");
        Path modelDir = root.resolve(descriptor.name());
        Path target = modelDir.resolve(descriptor.version());
        if (Files.exists(target)) {
            throw QuiverException.conflict("version", "model '" + descriptor.name() + "' already has version '"
                    + descriptor.version() + "'; versions are immutable");
        }
        Path staging = modelDir.resolve(".staging-" + UUID.randomUUID());
        try {
            Files.createDirectories(staging);
            artifacts.writeTo(staging);
            Json.MAPPER.writeValue(staging.resolve(DESCRIPTOR).toFile(), descriptor);
            if (referenceProfile != null) {
                Files.write(staging.resolve(REFERENCE_PROFILE), referenceProfile);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            deleteQuietly(staging);
            throw QuiverException.conflict("version", "model '" + descriptor.name() + "' already has version '"
                    + descriptor.version() + "'; versions are immutable");
        } catch (IOException e) {
            deleteQuietly(staging);
            if (Files.isDirectory(target)) {
                // another writer's rename got there first; renaming onto its directory fails with ENOTEMPTY, which
                // the JDK reports as a plain FileSystemException
                throw QuiverException.conflict("version", "model '" + descriptor.name() + "' already has version '"
                        + descriptor.version() + "'; versions are immutable");
            }
            throw new UncheckedIOException("cannot write " + descriptor.name() + ":" + descriptor.version(), e);
        } catch (RuntimeException e) {
            deleteQuietly(staging);
            throw e;
        }
    }

    @Override
    public Aliases readAliases(String model) {
        if (!isName(model)) {
            return Aliases.NONE;
        }
        return read(root.resolve(model).resolve(ALIASES));
    }

    /**
     * Compares and replaces under a lock on {@code <model>/.aliases.lock}, taken by the thread within this process and
     * by the process against others that share the directory.
     */
    @Override
    public boolean replaceAliases(String model, String expectedTag, Map<String, String> aliases) {
        Check.name(model, "model");
        Path dir = root.resolve(model);
        Path tmp = dir.resolve(".aliases-" + UUID.randomUUID());
        synchronized (LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new Object())) {
            try {
                Files.createDirectories(dir);
                try (FileChannel lockFile = FileChannel.open(dir.resolve(".aliases.lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
                    if (!Objects.equals(read(dir.resolve(ALIASES)).tag(), expectedTag)) {
                        return false;
                    }
                    Json.MAPPER.writeValue(tmp.toFile(), new TreeMap<>(aliases));
                    try {
                        Files.move(tmp, dir.resolve(ALIASES), StandardCopyOption.ATOMIC_MOVE,
                                StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, dir.resolve(ALIASES), StandardCopyOption.REPLACE_EXISTING);
                    }
                    return true;
                }
            } catch (IOException e) {
                deleteQuietly(tmp);
                throw new UncheckedIOException("cannot write the aliases of " + model, e);
            }
        }
    }

    /** The aliases in {@code file}, tagged with the SHA-256 of its bytes. */
    private static Aliases read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Aliases.NONE;
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable aliases " + file, e);
        }
        try {
            return new Aliases(Json.MAPPER.readValue(bytes, new TypeReference<Map<String, String>>() { }),
                    ModelRegistry.sha256(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable aliases " + file, e);
        }
    }

    private static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    private static Stream<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> s = Files.walk(path)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover staging directory is hidden and ignored by readers
        }
    }
}
