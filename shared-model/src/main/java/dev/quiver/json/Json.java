package dev.quiver.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The JSON and YAML mappers for descriptors and catalogs: snake_case keys, ISO-8601 instants and durations. */
public final class Json {

    private Json() {
    }

    /** Thread-safe once configured; shared. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public static final ObjectMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new JavaTimeModule())
            .build();

    /**
     * Writes {@code value} as JSON to {@code file}, atomically: to a temporary file in the same directory, then
     * moved over the old one, so that a reader (or a crash) sees the old content or the new, never a mix.
     */
    public static void writeAtomically(java.nio.file.Path file, Object value) {
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Path tmp = java.nio.file.Files.createTempFile(file.getParent(), ".write-", ".tmp");
            try {
                MAPPER.writeValue(tmp.toFile(), value);
                try {
                    java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                    java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                java.nio.file.Files.deleteIfExists(tmp);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Where a mapping failure happened, as a field path for an error: {@code models[0].sla.p99_ms}; {@code whole} when
     * it happened at the top of the document.
     */
    public static String fieldPath(com.fasterxml.jackson.databind.JsonMappingException e, String whole) {
        StringBuilder b = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.isEmpty() ? whole : b.toString();
    }
}
