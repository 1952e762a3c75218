package dev.quiver.feature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key of one entity row: join key names and their canonical values (see {@link ValueType}), sorted by
 * join key name in code-point order, which is the order Feast serializes them in.
 */
public final class EntityKey {

    private final String[] joinKeys;
    private final Object[] values;
    private final int hash;

    private EntityKey(String[] joinKeys, Object[] values) {
        this.joinKeys = joinKeys;
        this.values = values;
        this.hash = 31 * Arrays.hashCode(joinKeys) + Arrays.deepHashCode(values);
    }

    /** A key of one join key. */
    public static EntityKey of(String joinKey, Object value) {
        return new EntityKey(new String[] {joinKey}, new Object[] {value});
    }

    /** A key from join key names to canonical values, in any order. */
    public static EntityKey of(Map<String, Object> values) {
        TreeMap<String, Object> sorted = new TreeMap<>(EntityKey::compareCodePoints);
        sorted.putAll(values);
        return new EntityKey(sorted.keySet().toArray(String[]::new), sorted.values().toArray());
    }

    /** The join key names, sorted. */
    public List<String> joinKeys() {
        return List.of(joinKeys);
    }

    /** The values, in the order of {@link #joinKeys()}. */
    public List<Object> values() {
        return new ArrayList<>(Arrays.asList(values));
    }

    public int size() {
        return joinKeys.length;
    }

    public String joinKey(int i) {
        return joinKeys[i];
    }

    public Object value(int i) {
        return values[i];
    }

    /** Feast sorts with Python's string order, which compares code points, not UTF-16 units. */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntityKey k && hash == k.hash && Arrays.equals(joinKeys, k.joinKeys)
                && Arrays.deepEquals(values, k.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < joinKeys.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(joinKeys[i]).append('=')
                    .append(values[i] instanceof byte[] b ? java.util.Base64.getEncoder().encodeToString(b) : values[i]);
        }
        return sb.append('}').toString();
    }
}
