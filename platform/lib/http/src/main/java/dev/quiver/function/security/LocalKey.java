package dev.quiver.function.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The key a function makes for its operator at first start on embedded defaults, as a notebook server makes its
 * token: a random key in a file readable by its owner only, read again at every later start. Functions started from
 * the same directory share it.
 */
final class LocalKey {

    /** Every permission but the owner's read and write is refused, as ssh refuses a private key others can read. */
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalKey() {
    }

    /** The key and whether this call made it. */
    record Loaded(String key, boolean made) {
    }

    /**
     * Reads the key at {@code file}, or makes one there, readable by its owner only.
     *
     * @throws IllegalStateException when the file can be read by others than its owner, or is empty
     */
    static Loaded readOrMake(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            if (Files.exists(file)) {
                return new Loaded(read(file), false);
            }
            // written whole in a private file first, then linked into place, which fails if another function started
            // from the same directory got there first: nobody ever reads a half-written key
            String key = newKey();
            Path tmp = isPosix(dir) ? Files.createTempFile(dir, ".deploy-key-", ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY)) : Files.createTempFile(dir, ".deploy-key-", ".tmp");
            try {
                Files.writeString(tmp, key + "\n", StandardCharsets.UTF_8);
                Files.createLink(file, tmp);
                return new Loaded(key, true);
            } catch (FileAlreadyExistsException e) {
                return new Loaded(read(file), false);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make or read the local key " + file, e);
        }
    }

    /** A new key: "qk_" and 32 random bytes in URL-safe base64, 46 characters. */
    static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "qk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String read(Path file) throws IOException {
        if (isPosix(file.toAbsolutePath().getParent())) {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(p)) {
                throw new IllegalStateException("the local key " + file + " can be read by others ("
                        + PosixFilePermissions.toString(p) + "); make it private (chmod 600 " + file
                        + ") or delete it to have a new one made");
            }
        }
        String key = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (key.isEmpty()) {
            throw new IllegalStateException("the local key " + file + " is empty; delete it to have a new one made");
        }
        return key;
    }

    private static boolean isPosix(Path dir) {
        return Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
    }
}
