package dev.quiver.inference;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A row of named features as a JSON parser reads it: the names and values in the order they came, each JSON number
 * that fits a double also kept as one. To code that reads it by name it is an unmodifiable {@link Map} like any other,
 * with Jackson's value types ({@code Integer} and {@code Double} for numbers). The {@link FeatureEncoder} walks it by
 * position instead, and takes its numbers without unboxing them: a hash lookup and a boxed value per feature were
 * most of a row's encoding (docs/performance.md, In-process overhead).
 *
 * <p>A name given twice keeps its last value, in its first place, as a {@code LinkedHashMap} filled by a parser does.
 */
public final class NamedRow extends AbstractMap<String, Object> {

    /**
     * Up to this many names, a lookup by name scans their hash codes (Strings keep theirs); beyond, it goes through an
     * index built once.
     */
    private static final int SCANNED = 64;

    private final String[] names;
    private final int[] hashes;
    private final Object[] values;
    private final double[] numbers;
    /** Per position: {@link #OBJECT}, {@link #DOUBLE} or {@link #INT}. */
    private final byte[] kinds;
    private final int size;
    private Map<String, Integer> index;

    private static final byte OBJECT = 0;
    private static final byte DOUBLE = 1;
    private static final byte INT = 2;

    private NamedRow(Builder b) {
        this.names = b.names;
        this.hashes = b.hashes;
        this.values = b.values;
        this.numbers = b.numbers;
        this.kinds = b.kinds;
        this.size = b.size;
        this.index = b.index;
    }

    /** The name at {@code position}, as the parser gave it (Jackson interns the names it reads). */
    public String nameAt(int position) {
        return names[position];
    }

    /** Whether the value at {@code position} is a JSON number kept as a double, for {@link #numberAt}. */
    public boolean isNumberAt(int position) {
        return kinds[position] != OBJECT;
    }

    /** The number at {@code position}; only where {@link #isNumberAt} says so. */
    public double numberAt(int position) {
        return numbers[position];
    }

    /** The value at {@code position}, as {@link #get} gives it. */
    public Object valueAt(int position) {
        return switch (kinds[position]) {
            case DOUBLE -> numbers[position];
            case INT -> (int) numbers[position];
            default -> values[position];
        };
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return positionOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int p = positionOf(key);
        return p < 0 ? null : valueAt(p);
    }

    private int positionOf(Object key) {
        if (index != null) {
            Integer p = index.get(key);
            return p == null ? -1 : p;
        }
        if (!(key instanceof String name)) {
            return -1;
        }
        return scan(names, hashes, size, name);
    }

    /** {@code name}'s position among the first {@code size} of {@code names}, or -1. */
    private static int scan(String[] names, int[] hashes, int size, String name) {
        int h = name.hashCode();
        for (int i = 0; i < size; i++) {
            if (hashes[i] == h && (names[i] == name || names[i].equals(name))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int p = next++;
                        return new SimpleImmutableEntry<>(names[p], valueAt(p));
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** Collects a row's names and values in order; {@link #build} once. */
    public static final class Builder {
        private static final int INITIAL = 32;

        private String[] names = new String[INITIAL];
        private int[] hashes = new int[INITIAL];
        private Object[] values = new Object[INITIAL];
        private double[] numbers = new double[INITIAL];
        private byte[] kinds = new byte[INITIAL];
        private int size;
        private Map<String, Integer> index;

        public Builder add(String name, Object value) {
            int p = place(name);
            values[p] = value;
            kinds[p] = OBJECT;
            return this;
        }

        public Builder addDouble(String name, double value) {
            int p = place(name);
            values[p] = null;
            numbers[p] = value;
            kinds[p] = DOUBLE;
            return this;
        }

        public Builder addInt(String name, int value) {
            int p = place(name);
            values[p] = null;
            numbers[p] = value;
            kinds[p] = INT;
            return this;
        }

        public NamedRow build() {
            return new NamedRow(this);
        }

        /** Where {@code name}'s value goes: its earlier place, or the next one. */
        private int place(String name) {
            if (name == null) {
                throw new IllegalArgumentException("a feature's name must not be null");
            }
            Integer known = index != null ? index.get(name) : null;
            int p = known != null ? known : index != null ? -1 : scan(names, hashes, size, name);
            if (p >= 0) {
                return p;
            }
            if (size == names.length) {
                int n = size * 2;
                names = Arrays.copyOf(names, n);
                hashes = Arrays.copyOf(hashes, n);
                values = Arrays.copyOf(values, n);
                numbers = Arrays.copyOf(numbers, n);
                kinds = Arrays.copyOf(kinds, n);
            }
            names[size] = name;
            hashes[size] = name.hashCode();
            if (index != null) {
                index.put(name, size);
            } else if (size + 1 > SCANNED) {
                index = new HashMap<>();
                for (int i = 0; i <= size; i++) {
                    index.put(names[i], i);
                }
            }
            return size++;
        }
    }
}
