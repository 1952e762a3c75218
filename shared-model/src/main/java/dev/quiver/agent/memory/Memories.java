package dev.quiver.agent.memory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Opens the memories of one store: each name is one memory, the same on every call. */
public interface Memories {

    /** The memory {@code name} of records of {@code type}, holding at most {@code keep}. */
    <T> Memory<T> open(String name, Class<T> type, int keep);

    /** Memories of this process only, forgotten when it stops: for tests and benchmarks. */
    static Memories inProcess() {
        return new Memories() {
            @Override
            public <T> Memory<T> open(String name, Class<T> type, int keep) {
                return new InProcess<>(keep);
            }
        };
    }

    /** A memory in a map of this process, in the order records were put. */
    class InProcess<T> implements Memory<T> {
        private final int keep;
        private final Map<String, T> records;

        InProcess(int keep) {
            this(keep, new LinkedHashMap<>());
        }

        /** Over {@code records}, which it changes; the oldest beyond {@code keep} are forgotten at the first put. */
        InProcess(int keep, LinkedHashMap<String, T> records) {
            this.keep = keep;
            this.records = records;
        }

        /** The records by id, for a subclass that keeps them elsewhere too; read under this memory's lock. */
        Map<String, T> records() {
            return records;
        }

        @Override
        public synchronized void put(String id, T value) {
            records.remove(id);
            records.put(id, value);
            while (records.size() > keep) {
                records.remove(records.keySet().iterator().next());
            }
        }

        @Override
        public synchronized Optional<T> get(String id) {
            return Optional.ofNullable(records.get(id));
        }

        @Override
        public synchronized void remove(String id) {
            records.remove(id);
        }

        @Override
        public synchronized List<T> values() {
            return new ArrayList<>(records.values());
        }
    }
}
