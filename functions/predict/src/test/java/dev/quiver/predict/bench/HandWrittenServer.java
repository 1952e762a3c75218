package dev.quiver.predict.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The baseline of docs/performance.md ("Against a hand-written server"): what a user could write in an afternoon to
 * serve one ONNX model without Quiver. Vert.x core with two event loops, Jackson, ONNX Runtime's Java API with the
 * session options Quiver uses (one intra-op and one inter-op thread, all graph optimisations), scoring on the event
 * loop. It takes {@code POST /predict} with {@code {"rows": [{feature: value, ...}]}} as Quiver does and answers the
 * same JSON ({@code request_id}, {@code model}, {@code version}, {@code predictions[].label} and
 * {@code .probabilities}); the comparison script checks that its probabilities equal Quiver's. It has none of
 * Quiver's registry, rollouts, capture, metrics, tracing, authentication or input checks beyond a 400 for a body it
 * cannot encode.
 *
 * <p>Usage: {@code java -cp <predict's test classpath> dev.quiver.predict.bench.HandWrittenServer PORT MODEL_DIR}
 * where MODEL_DIR holds {@code model.onnx} and {@code descriptor.json} (config/models/churn/1).
 */
public final class HandWrittenServer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String model;
    private final String version;
    private final String input;
    private final List<Feature> features = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private final int width;

    /** One input of the descriptor: a number, or a category one-hot encoded in the listed order. */
    private record Feature(String name, List<String> categories) {
        int width() {
            return categories == null ? 1 : categories.size();
        }
    }

    HandWrittenServer(Path dir, String version) throws IOException, OrtException {
        JsonNode d = JSON.readTree(dir.resolve("descriptor.json").toFile());
        this.model = d.path("name").asText();
        this.version = version;
        this.input = d.path("input").path("name").asText();
        int w = 0;
        for (JsonNode in : d.path("inputs")) {
            List<String> categories = null;
            if (in.path("type").asText().equals("category")) {
                categories = new ArrayList<>();
                for (JsonNode c : in.path("categories")) {
                    categories.add(c.asText());
                }
            }
            Feature f = new Feature(in.path("name").asText(), categories);
            features.add(f);
            w += f.width();
        }
        this.width = w;
        d.path("labels").forEach(l -> labels.add(l.asText()));
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = env.createSession(dir.resolve("model.onnx").toString(), options);
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        HandWrittenServer server = new HandWrittenServer(dir, dir.getFileName().toString());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start() {
                vertx.createHttpServer().requestHandler(server::handle).listen(port);
            }
        }, new DeploymentOptions().setInstances(2)).onSuccess(id -> System.out.println("listening on " + port))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    private void handle(HttpServerRequest req) {
        if (req.path().equals("/health")) {
            req.response().end("ok");
            return;
        }
        if (!req.path().equals("/predict")) {
            req.response().setStatusCode(404).end();
            return;
        }
        req.body().onSuccess(body -> {
            Buffer out;
            try {
                out = Buffer.buffer(JSON.writeValueAsBytes(predict(JSON.readTree(body.getBytes()))));
            } catch (IOException | IllegalArgumentException e) {
                req.response().setStatusCode(400).putHeader("content-type", "application/json")
                        .end("{\"error\":" + JSON.valueToTree(String.valueOf(e.getMessage())) + "}");
                return;
            } catch (OrtException e) {
                req.response().setStatusCode(500).end();
                return;
            }
            req.response().putHeader("content-type", "application/json").end(out);
        });
    }

    ObjectNode predict(JsonNode request) throws OrtException {
        JsonNode rows = request.path("rows");
        if (!rows.isArray() || rows.isEmpty()) {
            throw new IllegalArgumentException("rows: must be a non-empty array");
        }
        double[][] x = new double[rows.size()][width];
        for (int r = 0; r < rows.size(); r++) {
            encode(rows.get(r), x[r]);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("request_id", UUID.randomUUID().toString()).put("model", model).put("version", version);
        ArrayNode predictions = answer.putArray("predictions");
        try (OnnxTensor t = OnnxTensor.createTensor(env, x); OrtSession.Result result = session.run(Map.of(input, t))) {
            Object p = result.get("probabilities").orElseThrow().getValue();
            for (int r = 0; r < x.length; r++) {
                ObjectNode row = predictions.addObject();
                ObjectNode probabilities = JSON.createObjectNode();
                int best = 0;
                double bestP = -1;
                for (int k = 0; k < labels.size(); k++) {
                    double v = p instanceof float[][] f ? f[r][k] : ((double[][]) p)[r][k];
                    probabilities.put(labels.get(k), v);
                    if (v > bestP) {
                        bestP = v;
                        best = k;
                    }
                }
                row.put("label", labels.get(best));
                row.set("probabilities", probabilities);
            }
        }
        return answer;
    }

    private void encode(JsonNode row, double[] into) {
        int at = 0;
        for (Feature f : features) {
            JsonNode v = row.get(f.name());
            if (v == null) {
                throw new IllegalArgumentException(f.name() + ": missing");
            }
            if (f.categories() == null) {
                into[at++] = v.asDouble();
            } else {
                int i = f.categories().indexOf(v.asText());
                if (i < 0) {
                    throw new IllegalArgumentException(f.name() + ": unknown category " + v.asText());
                }
                into[at + i] = 1.0;
                at += f.width();
            }
        }
    }
}
