package dev.quiver.rollout;

import dev.quiver.registry.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The embedded rollout store: {@code <dir>/<model>/rollout.json}, replaced atomically (written to a temporary
 * file, then moved over the old one), so a crash leaves the old state or the new one.
 */
public final class FileRolloutStore implements RolloutStore {

    private final Path dir;

    public FileRolloutStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public synchronized void save(String model, Rollout.State state) {
        Path file = dir.resolve(model).resolve("rollout.json");
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "rollout-", ".tmp");
            Json.MAPPER.writeValue(tmp.toFile(), state);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the rollout of " + model + " to " + file, e);
        }
    }

    @Override
    public Optional<Rollout.State> load(String model) {
        Path file = dir.resolve(model).resolve("rollout.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), Rollout.State.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rollout of " + model + " from " + file, e);
        }
    }
}
