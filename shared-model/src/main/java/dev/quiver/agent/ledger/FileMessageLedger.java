package dev.quiver.agent.ledger;

import dev.quiver.error.Stages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletionStage;

/**
 * A {@link MessageLedger} in a directory, the embedded default: per message id, {@code <sha256(id)>.claim} made with
 * create-new (atomic on a local file system, also across processes) and {@code <sha256(id)>.answer} written to a
 * temporary file and moved into place, so a reader sees no answer or the whole answer. Ids are hashed because a
 * message id is any text and a file name is not. Nothing expires: the directory keeps every id it has seen.
 */
public final class FileMessageLedger implements MessageLedger {

    private final Path dir;

    /** Whether the directory is known to exist: made once, not at every claim. */
    private volatile boolean made;

    public FileMessageLedger(Path dir) {
        this.dir = dir;
    }

    @Override
    public CompletionStage<Claim> claim(String messageId) {
        return Stages.now(() -> io(() -> {
            String name = name(messageId);
            if (!made) {
                Files.createDirectories(dir);
                made = true;
            }
            try {
                Files.write(dir.resolve(name + ".claim"), messageId.getBytes(StandardCharsets.UTF_8),
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return Claim.FIRST;
            } catch (FileAlreadyExistsException taken) {
                try {
                    return new Claim(false, Files.readString(dir.resolve(name + ".answer")));
                } catch (NoSuchFileException pending) {
                    return Claim.PENDING;
                }
            }
        }));
    }

    @Override
    public CompletionStage<Void> record(String messageId, String answer) {
        return Stages.now(() -> io(() -> {
            if (answer == null || answer.isEmpty()) {
                throw new IllegalArgumentException("an answer must not be empty");
            }
            String name = name(messageId);
            if (!Files.exists(dir.resolve(name + ".claim"))) {
                throw new IllegalStateException("message '" + messageId + "' was not claimed");
            }
            Path tmp = Files.createTempFile(dir, ".answer-", ".tmp");
            try {
                Files.writeString(tmp, answer);
                try {
                    Files.move(tmp, dir.resolve(name + ".answer"), StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, dir.resolve(name + ".answer"), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return null;
        }));
    }

    @Override
    public CompletionStage<Void> release(String messageId) {
        return Stages.now(() -> io(() -> {
            String name = name(messageId);
            if (!Files.exists(dir.resolve(name + ".answer"))) {
                Files.deleteIfExists(dir.resolve(name + ".claim"));
            }
            return null;
        }));
    }

    /** Work on files, with an I/O failure unchecked so that it fails the stage. */
    private interface Io<T> {
        T run() throws IOException;
    }

    private static <T> T io(Io<T> work) {
        try {
            return work.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String name(String messageId) {
        MessageLedger.checkId(messageId);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(messageId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
