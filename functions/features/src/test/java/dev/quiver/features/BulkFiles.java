package dev.quiver.features;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Files for the {@code materialize} command: churn rows of customers with their own ids, "NY", 77 day calls. */
public final class BulkFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BulkFiles() {
    }

    /** One JSON line per customer, each with an event time an hour ago. */
    public static Path jsonLines(Path file, long... customers) throws IOException {
        List<String> lines = new ArrayList<>();
        for (long c : customers) {
            Map<String, Object> row = FeastBodies.customer(c, Instant.now().minusSeconds(3600))
                    .with("state", "NY").with("total_day_calls", 77).row();
            lines.add(JSON.writeValueAsString(row));
        }
        return Files.write(file, lines);
    }

    /** A CSV file with a header row and one row per customer, without event times. */
    public static Path csv(Path file, long... customers) throws IOException {
        List<String> lines = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of(FeastBodies.JOIN_KEY));
        header.addAll(FeastBodies.FEATURES);
        lines.add(String.join(",", header));
        for (long c : customers) {
            Map<String, Object> row = FeastBodies.customer(c, Instant.EPOCH).with("state", "WY")
                    .with("total_day_calls", 77).row();
            List<String> cells = new ArrayList<>();
            header.forEach(h -> cells.add(String.valueOf(row.get(h))));
            lines.add(String.join(",", cells));
        }
        return Files.write(file, lines);
    }
}
