package dev.quiver.drift.capture;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quiver.json.Json;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The embedded profile store, a directory that instances share:
 * <pre>
 * &lt;dir&gt;/&lt;model&gt;/&lt;version&gt;/&lt;window start, epoch seconds&gt;/&lt;instance&gt;.json     a profile, replaced atomically
 * &lt;dir&gt;/&lt;model&gt;/&lt;version&gt;/&lt;window start&gt;/&lt;instance&gt;.predictions.jsonl  its predictions, appended
 * &lt;dir&gt;/&lt;model&gt;/&lt;version&gt;/&lt;window start&gt;/.claims/&lt;action&gt;   a claimed action; its content the note
 * &lt;dir&gt;/&lt;model&gt;/.outcomes/&lt;instance&gt;.jsonl                              labels that arrived, appended
 * </pre>
 * Each instance appends only to its own files, so appends never interleave.
 */
public final class DirectoryProfileStore implements ProfileStore {

    /** One JSON value a line: no indentation, no separator of Jackson's between values, no flush after each. */
    private static final ObjectWriter LINES = Json.MAPPER.writer()
            .without(SerializationFeature.INDENT_OUTPUT)
            .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
            .withRootValueSeparator("");

    private final Path dir;

    public DirectoryProfileStore(Path dir) {
        this.dir = dir;
    }

    private Path window(String model, String version, Instant start) {
        return dir.resolve(model).resolve(version).resolve(Long.toString(start.getEpochSecond()));
    }

    @Override
    public void save(String instance, Profile.Saved profile) {
        Path file = window(profile.model(), profile.version(), profile.windowStart()).resolve(instance + ".json");
        Json.writeAtomically(file, profile);
    }

    @Override
    public List<Profile.Saved> load(String model, String version, Instant windowStart) {
        Path w = window(model, version, windowStart);
        List<Profile.Saved> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(w)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".json")
                    && !f.getFileName().toString().startsWith(".")).sorted().toList()) {
                out.add(Json.MAPPER.readValue(p.toFile(), Profile.Saved.class));
            }
        } catch (NoSuchFileException none) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the profiles in " + w, e);
        }
        return out;
    }

    @Override
    public List<Instant> windows(String model, String version) {
        Path v = dir.resolve(model).resolve(version);
        try (Stream<Path> s = Files.list(v)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).map(Long::parseLong).sorted()
                    .map(Instant::ofEpochSecond).toList();
        } catch (NoSuchFileException none) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the windows in " + v, e);
        }
    }

    @Override
    public synchronized void appendPredictions(String instance, String model, String version, Instant windowStart,
                                               List<LoggedPrediction> rows) {
        append(window(model, version, windowStart).resolve(instance + ".predictions.jsonl"), rows);
    }

    @Override
    public List<LoggedPrediction> predictions(String model, String version, Instant windowStart) {
        return readLines(window(model, version, windowStart), ".predictions.jsonl", LoggedPrediction.class);
    }

    @Override
    public synchronized void appendOutcomes(String instance, String model, List<Outcome> outcomes) {
        append(dir.resolve(model).resolve(".outcomes").resolve(instance + ".jsonl"), outcomes);
    }

    @Override
    public java.util.Map<String, String> outcomes(String model) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (Outcome o : readLines(dir.resolve(model).resolve(".outcomes"), ".jsonl", Outcome.class)) {
            out.put(o.key(), o.label());
        }
        return out;
    }

    @Override
    public boolean claim(String model, String version, Instant windowStart, String action, String note) {
        Path marker = window(model, version, windowStart).resolve(".claims").resolve(action);
        Path draft = null;
        try {
            Files.createDirectories(marker.getParent());
            if (note.isEmpty()) {
                Files.createFile(marker);
                return true;
            }
            // the note is written aside and linked in: a reader never sees a claim without its note
            draft = Files.createTempFile(marker.getParent(), "." + action, ".draft");
            Files.writeString(draft, note);
            Files.createLink(marker, draft);
            return true;
        } catch (java.nio.file.FileAlreadyExistsException taken) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot claim " + marker, e);
        } finally {
            if (draft != null) {
                try {
                    Files.deleteIfExists(draft);
                } catch (IOException ignored) {
                    // a leftover draft is ignored by claims()
                }
            }
        }
    }

    @Override
    public java.util.Map<String, String> claims(String model, String version, Instant windowStart) {
        Path claims = window(model, version, windowStart).resolve(".claims");
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.list(claims)) {
            for (Path p : s.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                out.put(p.getFileName().toString(), Files.readString(p));
            }
        } catch (NoSuchFileException none) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the claims in " + claims, e);
        }
        return out;
    }

    /**
     * Appends each of {@code rows} as one line of JSON, streamed through one generator: an instance appends every
     * prediction it served since the last flush, so a line per row must cost no writer, string or copy of its own.
     * A last line left unfinished by a crash is ended first, so that it costs only itself and not the next row.
     */
    private static void append(Path file, List<?> rows) {
        try {
            Files.createDirectories(file.getParent());
            boolean torn = endsUnfinished(file);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND), 64 * 1024);
                 JsonGenerator lines = LINES.createGenerator(out)) {
                if (torn) {
                    lines.writeRaw('\n');
                }
                for (Object r : rows) {
                    LINES.writeValue(lines, r);
                    lines.writeRaw('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** Whether {@code file} exists and its last byte is not a line's end. */
    private static boolean endsUnfinished(Path file) throws IOException {
        try (SeekableByteChannel c = Files.newByteChannel(file, StandardOpenOption.READ)) {
            long size = c.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            c.position(size - 1).read(last);
            return last.get(0) != '\n';
        } catch (NoSuchFileException none) {
            return false;
        }
    }

    private static <T> List<T> readLines(Path dir, String suffix, Class<T> type) {
        List<T> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList()) {
                for (String line : Files.readAllLines(p)) {
                    if (!line.isBlank()) {
                        try {
                            out.add(Json.MAPPER.readValue(line, type));
                        } catch (IOException torn) {
                            // a line cut short by a crash mid-append: skip it
                        }
                    }
                }
            }
        } catch (NoSuchFileException none) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return out;
    }
}
