package dev.quiver.agent.memory;

import com.fasterxml.jackson.databind.JavaType;
import dev.quiver.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;

/**
 * The embedded memories: one JSON file per memory in a directory ({@code <name>.json}, an object of records by id in
 * the order they were put), read at open and rewritten atomically after each change. Meant for the few records a
 * team's conversations leave open, in one process (the agent's directory store is held by one).
 */
public final class FileMemories implements Memories {

    private final Path dir;

    public FileMemories(Path dir) {
        this.dir = dir;
    }

    @Override
    public <T> Memory<T> open(String name, Class<T> type, int keep) {
        return new InFile<>(dir.resolve(name + ".json"), type, keep);
    }

    /** A memory in this process that writes its records to {@code file} after every change. */
    private static final class InFile<T> extends InProcess<T> {
        private final Path file;

        InFile(Path file, Class<T> type, int keep) {
            super(keep, read(file, type));
            this.file = file;
        }

        private static <T> LinkedHashMap<String, T> read(Path file, Class<T> type) {
            JavaType map = Json.MAPPER.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, type);
            try {
                return Files.isRegularFile(file) ? Json.MAPPER.readValue(file.toFile(), map) : new LinkedHashMap<>();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the agent's memory " + file, e);
            }
        }

        @Override
        public synchronized void put(String id, T value) {
            super.put(id, value);
            Json.writeAtomically(file, records());
        }

        @Override
        public synchronized void remove(String id) {
            if (get(id).isPresent()) {
                super.remove(id);
                Json.writeAtomically(file, records());
            }
        }
    }
}
