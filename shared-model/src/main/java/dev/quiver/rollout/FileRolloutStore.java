package dev.quiver.rollout;

import dev.quiver.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The embedded rollout store, a directory that several processes on one machine (or a shared volume) can use at
 * once:
 * <pre>
 * &lt;dir&gt;/&lt;model&gt;/rollout.json                        the rollout's state
 * &lt;dir&gt;/&lt;model&gt;/rollout.lock                        held while the state is compared and replaced
 * &lt;dir&gt;/&lt;model&gt;/tallies/&lt;window&gt;/&lt;instance&gt;.json   what each instance measured during a step
 * </pre>
 * Every file is replaced atomically (written to a temporary file, then moved over the old one), so a crash
 * leaves the old content or the new one. A new rollout of a model removes the tallies of the one before.
 */
public final class FileRolloutStore implements RolloutStore {

    /** By model directory: a file lock is held by the JVM, so the threads of one take turns before they take it. */
    private static final Map<Path, Object> LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path dir;

    public FileRolloutStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public Optional<Rollout.State> load(String model) {
        return read(dir.resolve(model).resolve("rollout.json"), Rollout.State.class);
    }

    @Override
    public List<String> models() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("rollout.json")))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the rollouts in " + dir, e);
        }
    }

    @Override
    public boolean replace(String model, Rollout.State expected, Rollout.State next) {
        Path modelDir = dir.resolve(model);
        synchronized (LOCKS.computeIfAbsent(modelDir.toAbsolutePath().normalize(), d -> new Object())) {
            return replaceLocked(model, modelDir, expected, next);
        }
    }

    private boolean replaceLocked(String model, Path modelDir, Rollout.State expected, Rollout.State next) {
        try {
            Files.createDirectories(modelDir);
            try (FileChannel ch = FileChannel.open(modelDir.resolve("rollout.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                Rollout.State stored = load(model).orElse(null);
                if (!sameRevision(stored, expected)) {
                    return false;
                }
                if (stored != null && !stored.id().equals(next.id())) {
                    deleteTree(modelDir.resolve("tallies"));
                }
                Json.writeAtomically(modelDir.resolve("rollout.json"), next);
                return true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the rollout of " + model + " in " + modelDir, e);
        }
    }

    private static boolean sameRevision(Rollout.State a, Rollout.State b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.id().equals(b.id()) && a.revision() == b.revision();
    }

    @Override
    public void saveTally(String model, String instance, Rollout.Tally tally) {
        Path file = dir.resolve(model).resolve("tallies").resolve(tally.window()).resolve(instance + ".json");
        Json.writeAtomically(file, tally);
    }

    @Override
    public Map<String, Rollout.Tally> tallies(String model, String window) {
        Path windowDir = dir.resolve(model).resolve("tallies").resolve(window);
        if (!Files.isDirectory(windowDir)) {
            return Map.of();
        }
        Map<String, Rollout.Tally> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(windowDir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                String name = p.getFileName().toString();
                read(p, Rollout.Tally.class).ifPresent(t -> out.put(name.substring(0, name.length() - 5), t));
            }
        } catch (NoSuchFileException gone) {
            return Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tallies of " + model + " in " + windowDir, e);
        }
        return out;
    }

    private static <T> Optional<T> read(Path file, Class<T> type) {
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), type));
        } catch (java.io.FileNotFoundException | NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).filter(Objects::nonNull).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
