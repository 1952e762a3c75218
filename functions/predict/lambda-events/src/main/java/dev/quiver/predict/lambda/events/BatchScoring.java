package dev.quiver.predict.lambda.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;
import dev.quiver.predict.prediction.PredictFunction;
import dev.quiver.prediction.PredictRequest;
import dev.quiver.prediction.PredictResult;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Batch scoring: rows in, predictions out to S3 as JSON Lines, one line per row in the rows' order:
 * {@code {"request_id", "row", "line"?, "label", "probabilities", "model", "version", "error"?}}, where
 * {@code request_id} and {@code row} are what {@code model.feedback} labels name later, and {@code line} is the input
 * line. The written object carries the model and version in its metadata ({@code quiver-model},
 * {@code quiver-version}) as well.
 * <ul>
 *   <li>An object of rows ({@link #scoreObject}) at {@code <input-prefix><model>/<name>}, one JSON object of features
 *       per line, goes to {@code <output-prefix><model>/<name>} in the output bucket. It is scored in chunks of
 *       {@code chunk-rows}, all by the version that answered the first chunk (an alias that moves in between does not
 *       split a file), under a rollout routed by the object's address so that every chunk reaches the same version.
 *       A bad row fails the whole object, naming its line, and nothing is written.</li>
 *   <li>A prediction request ({@link #scoreRequest}), the body of {@code POST /predict}, goes to
 *       {@code <output-prefix><model>/requests/<request_id>.jsonl}.</li>
 * </ul>
 * The output is written once, whole, at the end: a reader never sees half a file, and a retried event writes the same
 * object again under the same key with the same request ids.
 */
@ApplicationScoped
public class BatchScoring {

    /** What was written. */
    public record Written(String bucket, String key, String model, String version, int rows) {

        /** The summary a door answers with. */
        public ObjectNode json() {
            ObjectNode out = Json.MAPPER.createObjectNode().put("output", "s3://" + bucket + "/" + key)
                    .put("model", model).put("version", version).put("rows", rows);
            return out;
        }
    }

    private static final Logger LOG = Logger.getLogger(BatchScoring.class);
    private static final TypeReference<Map<String, Object>> ROW = new TypeReference<>() {
    };
    private static final Pattern ROW_FIELD = Pattern.compile("rows\\[(\\d+)](.*)");
    private static final Pattern UNSAFE_IN_KEY = Pattern.compile("[^A-Za-z0-9._-]");
    /** JSON Lines: one object per line, so never indented. */
    private static final ObjectWriter LINE = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private final PredictFunction predict;
    private final BatchScoringConfig config;
    private final S3Client s3;

    public BatchScoring(PredictFunction predict, BatchScoringConfig config) {
        String in = config.inputPrefix();
        String out = config.outputPrefix();
        // a notification on the input prefix must never see the predictions, or each output would be scored again
        if (in.startsWith(out) || out.startsWith(in)) {
            throw new IllegalArgumentException("quiver.batch-scoring.input-prefix ('" + in + "') and output-prefix ('"
                    + out + "') must not contain one another");
        }
        if (config.chunkRows() < 1) {
            throw new IllegalArgumentException("quiver.batch-scoring.chunk-rows must be at least 1, not "
                    + config.chunkRows());
        }
        this.predict = predict;
        this.config = config;
        S3ClientBuilder b = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .forcePathStyle(config.s3().pathStyle());
        config.s3().region().ifPresent(r -> b.region(Region.of(r)));
        config.s3().endpoint().ifPresent(endpoint -> b.endpointOverride(endpoint)
                // S3-compatible servers often refuse the CRC checksums in aws-chunked trailers the SDK sends to AWS
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
        this.s3 = b.build();
    }

    @PreDestroy
    void close() {
        s3.close();
    }

    /**
     * Scores the object of rows {@code s3://bucket/key}.
     *
     * @param at the field that named the key in the event ({@code detail.object.key}), for errors
     */
    public Written scoreObject(String bucket, String key, String at) {
        String source = "s3://" + bucket + "/" + key;
        String rest = key.startsWith(config.inputPrefix()) ? key.substring(config.inputPrefix().length()) : "";
        int slash = rest.indexOf('/');
        if (slash < 1 || slash == rest.length() - 1) {
            throw QuiverException.badInput(at, "'" + key + "' is not an object of rows: its key must be "
                    + config.inputPrefix() + "<model>/<name>");
        }
        String model = rest.substring(0, slash);
        String outBucket = config.bucket().orElse(bucket);
        String outKey = config.outputPrefix() + rest;
        // the same ids on a retry, and a routing key that sends every chunk of the file to the same version
        String id = UUID.nameUUIDFromBytes(source.getBytes(StandardCharsets.UTF_8)).toString();
        Path tmp = tempFile();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                s3.getObject(r -> r.bucket(bucket).key(key), ResponseTransformer.toInputStream()),
                StandardCharsets.UTF_8));
             BufferedWriter writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            Chunks chunks = new Chunks(model, id, source, writer);
            String text;
            int line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                if (!text.isBlank()) {
                    chunks.add(row(text, line, source), line);
                }
            }
            chunks.flush();
            writer.flush();
            if (chunks.total == 0) {
                throw QuiverException.badInput(at, source + " holds no rows");
            }
            put(outBucket, outKey, tmp, model, chunks.version, chunks.total, source);
            return new Written(outBucket, outKey, model, chunks.version, chunks.total);
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw QuiverException.notFound(at, "no object " + source);
        } catch (SdkException e) {
            throw QuiverException.unavailable("S3 did not answer for " + source + ": " + e.getMessage());
        } catch (IOException e) {
            throw QuiverException.unavailable("reading " + source + " failed: " + e.getMessage());
        } finally {
            delete(tmp);
        }
    }

    /** Scores one prediction request into {@code <output-prefix><model>/requests/<request_id>.jsonl}. */
    public Written scoreRequest(PredictRequest request) {
        String bucket = config.bucket().orElseThrow(() -> QuiverException.unavailable(
                "quiver.batch-scoring.bucket is not set: a prediction request has no bucket of its own to write to"));
        PredictResult result = predict.predictNow(request);
        String key = config.outputPrefix() + result.model() + "/requests/"
                + UNSAFE_IN_KEY.matcher(result.requestId()).replaceAll("_") + ".jsonl";
        Path tmp = tempFile();
        try {
            try (BufferedWriter writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                write(writer, result, null);
            }
            put(bucket, key, tmp, result.model(), result.version(), result.predictions().size(),
                    "request " + result.requestId());
            return new Written(bucket, key, result.model(), result.version(), result.predictions().size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SdkException e) {
            throw QuiverException.unavailable("S3 did not answer for s3://" + bucket + "/" + key + ": "
                    + e.getMessage());
        } finally {
            delete(tmp);
        }
    }

    /** The rows of one object, scored a chunk at a time by one version. */
    private final class Chunks {
        private final String model;
        private final String id;
        private final String source;
        private final BufferedWriter writer;
        private final List<Map<String, Object>> rows = new ArrayList<>();
        private final List<Integer> lines = new ArrayList<>();
        private String version;
        private int chunk;
        private int total;

        Chunks(String model, String id, String source, BufferedWriter writer) {
            this.model = model;
            this.id = id;
            this.source = source;
            this.writer = writer;
        }

        void add(Map<String, Object> row, int line) throws IOException {
            rows.add(row);
            lines.add(line);
            if (rows.size() == config.chunkRows()) {
                flush();
            }
        }

        void flush() throws IOException {
            if (rows.isEmpty()) {
                return;
            }
            PredictRequest request = new PredictRequest(model, version, null, List.copyOf(rows),
                    id + "-" + chunk, null, source);
            PredictResult result;
            try {
                result = predict.predictNow(request);
            } catch (QuiverException e) {
                throw atLine(e, lines, source);
            }
            if (version == null) {
                version = result.version();
            }
            write(writer, result, lines);
            total += rows.size();
            chunk++;
            rows.clear();
            lines.clear();
        }
    }

    private static Map<String, Object> row(String text, int line, String source) {
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            if (node == null || !node.isObject()) {
                throw QuiverException.badInput("line " + line, "not a JSON object of features (in " + source + ")");
            }
            return Json.MAPPER.convertValue(node, ROW);
        } catch (JsonProcessingException e) {
            throw QuiverException.badInput("line " + line, "not JSON: " + e.getOriginalMessage() + " (in " + source
                    + ")");
        }
    }

    /** A refusal of {@code rows[i].x} becomes one of {@code line N.x}, the line in the object. */
    private static QuiverException atLine(QuiverException e, List<Integer> lines, String source) {
        Matcher m = e.field() == null ? null : ROW_FIELD.matcher(e.field());
        if (m == null || !m.matches() || Integer.parseInt(m.group(1)) >= lines.size()) {
            return e;
        }
        return new QuiverException(e.kind(), "line " + lines.get(Integer.parseInt(m.group(1))) + m.group(2),
                e.reason() + " (in " + source + ")", e);
    }

    private static void write(BufferedWriter writer, PredictResult result, List<Integer> lines) throws IOException {
        for (int i = 0; i < result.predictions().size(); i++) {
            PredictResult.Row p = result.predictions().get(i);
            ObjectNode line = Json.MAPPER.createObjectNode().put("request_id", result.requestId()).put("row", i);
            if (lines != null) {
                line.put("line", lines.get(i));
            }
            line.setAll((ObjectNode) Json.MAPPER.valueToTree(p));
            writer.write(LINE.writeValueAsString(line));
            writer.newLine();
        }
    }

    private void put(String bucket, String key, Path file, String model, String version, int rows, String source) {
        Map<String, String> metadata = new java.util.LinkedHashMap<>();
        metadata.put("quiver-model", model);
        if (version != null) {
            metadata.put("quiver-version", version);
        }
        metadata.put("quiver-rows", Integer.toString(rows));
        s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/x-ndjson").metadata(metadata),
                RequestBody.fromFile(file));
        LOG.infof("%d predictions of %s:%s for %s written to s3://%s/%s", rows, model, version, source, bucket, key);
    }

    private static Path tempFile() {
        try {
            return Files.createTempFile("quiver-predictions-", ".jsonl");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("%s not deleted: %s", file, e.getMessage());
        }
    }
}
