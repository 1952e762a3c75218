package dev.quiver.function.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * API keys, known only by their SHA-256: a presented key is hashed and looked up. A plain hash suits keys that are
 * random and long (see {@link LocalKey#newKey}), where a slow password hash would only cost every request time.
 */
final class ApiKeys {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Map<String, Caller> byHash = new HashMap<>();

    /**
     * Adds a key.
     *
     * @param where what the key's settings are called, for the error that names a wrong one
     * @throws IllegalArgumentException when the hash is not 64 lowercase hex digits, a role is unknown, or the hash is
     *                                  already another key's
     */
    void add(String name, String sha256, Set<Role> roles, String where) {
        String hash = sha256 == null ? "" : sha256.trim().toLowerCase(java.util.Locale.ROOT);
        if (!SHA256.matcher(hash).matches()) {
            throw new IllegalArgumentException(where + ": the sha256 must be 64 hex digits (printf %s \"$KEY\" | sha256sum)");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(where + ": a key needs a name, the subject audit logs record");
        }
        Caller previous = byHash.putIfAbsent(hash, new Caller(name, roles, "api-key"));
        if (previous != null) {
            throw new IllegalArgumentException(where + ": the same key is also configured as '" + previous.subject() + "'");
        }
    }

    /** The caller a presented key belongs to; null when it is no key of these. */
    Caller find(String key) {
        return byHash.get(sha256(key));
    }

    boolean isEmpty() {
        return byHash.isEmpty();
    }

    int size() {
        return byHash.size();
    }

    /** The lowercase hex SHA-256 of a key's UTF-8 text: what configuration holds instead of the key. */
    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
