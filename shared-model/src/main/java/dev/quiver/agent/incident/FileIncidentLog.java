package dev.quiver.agent.incident;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quiver.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** An {@link IncidentLog} in one file, a JSON line per incident, appended under a lock: the embedded default. */
public final class FileIncidentLog implements IncidentLog {

    private static final ObjectWriter LINE = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public FileIncidentLog(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void record(Incident incident) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, LINE.writeValueAsString(incident) + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the incident log " + file, e);
        }
    }

    @Override
    public synchronized List<Incident> recent(int limit) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException none) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the incident log " + file, e);
        }
        List<Incident> out = new ArrayList<>();
        for (String line : lines.subList(Math.max(0, lines.size() - limit), lines.size())) {
            try {
                out.add(Json.MAPPER.readValue(line, Incident.class));
            } catch (IOException e) {
                throw new UncheckedIOException("a line of the incident log " + file + " is not an incident", e);
            }
        }
        return out;
    }
}
