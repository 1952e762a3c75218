package dev.quiver.agent.outbox;

import dev.quiver.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * An {@link OutboxStore} in a directory, the embedded default: {@code pending/<id>.json} per message waiting,
 * rewritten atomically after each failed try, and {@code dead/<id>.json} per dead letter. Meant for the volumes of a
 * team's messages (a few a minute), not for a queue of millions: {@link #due} reads the pending folder.
 */
public final class FileOutboxStore implements OutboxStore {

    private final Path pending;
    private final Path dead;

    public FileOutboxStore(Path dir) {
        this.pending = dir.resolve("pending");
        this.dead = dir.resolve("dead");
    }

    @Override
    public void put(Outgoing message) {
        Json.writeAtomically(pending.resolve(message.id() + ".json"), message);
    }

    @Override
    public List<Outgoing> due(Instant now, int max) {
        return read(pending, Outgoing.class).stream().filter(m -> !m.due().isAfter(now))
                .sorted(Comparator.comparing(Outgoing::due)).limit(max).toList();
    }

    @Override
    public void remove(String id) {
        try {
            Files.deleteIfExists(pending.resolve(id + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + id + " from the outbox", e);
        }
    }

    @Override
    public void deadLetter(DeadLetter letter) {
        Json.writeAtomically(dead.resolve(letter.message().id() + ".json"), letter);
        remove(letter.message().id());
    }

    @Override
    public List<DeadLetter> deadLetters() {
        return read(dead, DeadLetter.class).stream().sorted(Comparator.comparing(DeadLetter::at)).toList();
    }

    @Override
    public int pending() {
        return read(pending, Outgoing.class).size();
    }

    private static <T> List<T> read(Path dir, Class<T> type) {
        List<T> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".json")
                    && !f.getFileName().toString().startsWith(".")).toList()) {
                try {
                    out.add(Json.MAPPER.readValue(f.toFile(), type));
                } catch (NoSuchFileException gone) {
                    // delivered or dead-lettered between the listing and the read
                }
            }
        } catch (NoSuchFileException none) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the outbox folder " + dir, e);
        }
        return out;
    }
}
