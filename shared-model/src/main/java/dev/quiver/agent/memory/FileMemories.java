package dev.quiver.agent.memory;

import com.fasterxml.jackson.databind.JavaType;
import dev.quiver.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    private static final class InFile<T> implements Memory<T> {
        private final Path file;
        private final int keep;
        private final Map<String, T> records;

        InFile(Path file, Class<T> type, int keep) {
            this.file = file;
            this.keep = keep;
            JavaType map = Json.MAPPER.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, type);
            try {
                this.records = Files.isRegularFile(file) ? Json.MAPPER.readValue(file.toFile(), map)
                        : new LinkedHashMap<>();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the agent's memory " + file, e);
            }
        }

        @Override
        public synchronized void put(String id, T value) {
            records.remove(id);
            records.put(id, value);
            while (records.size() > keep) {
                records.remove(records.keySet().iterator().next());
            }
            Json.writeAtomically(file, records);
        }

        @Override
        public synchronized Optional<T> get(String id) {
            return Optional.ofNullable(records.get(id));
        }

        @Override
        public synchronized void remove(String id) {
            if (records.remove(id) != null) {
                Json.writeAtomically(file, records);
            }
        }

        @Override
        public synchronized List<T> values() {
            return new ArrayList<>(records.values());
        }
    }
}
