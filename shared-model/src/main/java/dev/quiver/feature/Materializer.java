package dev.quiver.feature;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bulk loads a file into a view of the online store, as Feast's {@code materialize} loads a batch source: CSV
 * with a header row ({@code .csv}) or JSON lines (anything else). Every row is checked before the first is
 * written, so a bad file writes nothing; rows are then written in batches, newest event time winning.
 */
public final class Materializer {

    /** What a load did. */
    public record Result(String view, int rows, int written) {
    }

    private static final CsvMapper CSV = new CsvMapper();

    private final FeatureWriter writer;
    private final int batchSize;

    public Materializer(FeatureWriter writer, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        this.writer = writer;
        this.batchSize = batchSize;
    }

    /**
     * Loads {@code file} into {@code view}.
     *
     * @param source   how to read it: which column holds event times, which join key takes row numbers; may be null
     * @param loadTime the event time of rows without one
     */
    public Result load(FeatureView view, Path file, FeatureView.BatchSource source, Instant loadTime) {
        boolean csv = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
        List<Map<String, Object>> rows = csv ? readCsv(file) : readJsonLines(file);
        String tsField = source == null || source.timestampField() == null ? FeatureWriter.EVENT_TIMESTAMP : source.timestampField();
        String rowKey = source == null ? null : source.rowNumberKey();
        // columns the view does not declare (a label, say) are not features: they are left out
        Set<String> declared = new HashSet<>(view.joinKeys());
        view.features().forEach(f -> declared.add(f.name()));
        declared.add(FeatureWriter.EVENT_TIMESTAMP);
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            if (rowKey != null) {
                row.put(rowKey, csv ? String.valueOf(i + 1) : (Object) (long) (i + 1));
            }
            Object ts = row.remove(tsField);
            row.put(FeatureWriter.EVENT_TIMESTAMP, ts != null ? ts : (csv ? loadTime.toString() : loadTime));
            row.keySet().retainAll(declared);
        }
        int headerLines = csv ? 2 : 1;
        List<FeatureRow> checked = writer.check(view, rows, i -> file.getFileName() + " line " + (i + headerLines), csv);
        int written = 0;
        for (int from = 0; from < checked.size(); from += batchSize) {
            written += writer.write(view, checked.subList(from, Math.min(checked.size(), from + batchSize)));
        }
        return new Result(view.name(), checked.size(), written);
    }

    private static List<Map<String, Object>> readCsv(Path file) {
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        try (MappingIterator<Map<String, String>> it = CSV.readerFor(Map.class).with(schema).readValues(file.toFile())) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (it.hasNext()) {
                rows.add(new LinkedHashMap<>(it.next()));
            }
            return rows;
        } catch (IOException | RuntimeException e) {
            throw QuiverException.badInput(file.getFileName().toString(), "cannot read it as CSV with a header row: " + e.getMessage());
        }
    }

    private static List<Map<String, Object>> readJsonLines(Path file) {
        try (MappingIterator<Map<String, Object>> it = Json.MAPPER.readerFor(Map.class).readValues(file.toFile())) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (it.hasNext()) {
                rows.add(new LinkedHashMap<>(it.next()));
            }
            return rows;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            throw QuiverException.badInput(file.getFileName().toString(), "cannot read it as JSON lines: "
                    + e.getMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
