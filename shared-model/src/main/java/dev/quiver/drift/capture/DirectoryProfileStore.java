package dev.quiver.drift.capture;

import dev.quiver.registry.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The embedded profile store: {@code <dir>/<model>/<version>/<window start, epoch seconds>/<instance>.json},
 * each file replaced atomically. Instances that share the directory share their windows.
 */
public final class DirectoryProfileStore implements ProfileStore {

    private final Path dir;

    public DirectoryProfileStore(Path dir) {
        this.dir = dir;
    }

    private Path window(String model, String version, Instant start) {
        return dir.resolve(model).resolve(version).resolve(Long.toString(start.getEpochSecond()));
    }

    @Override
    public void save(String instance, Profile.Saved profile) {
        Path file = window(profile.model(), profile.version(), profile.windowStart()).resolve(instance + ".json");
        Json.writeAtomically(file, profile);
    }

    @Override
    public List<Profile.Saved> load(String model, String version, Instant windowStart) {
        Path w = window(model, version, windowStart);
        List<Profile.Saved> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(w)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                out.add(Json.MAPPER.readValue(p.toFile(), Profile.Saved.class));
            }
        } catch (NoSuchFileException none) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the profiles in " + w, e);
        }
        return out;
    }

    @Override
    public List<Instant> windows(String model, String version) {
        Path v = dir.resolve(model).resolve(version);
        try (Stream<Path> s = Files.list(v)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).map(Long::parseLong).sorted()
                    .map(Instant::ofEpochSecond).toList();
        } catch (NoSuchFileException none) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the windows in " + v, e);
        }
    }
}
