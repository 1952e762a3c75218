package dev.quiver.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.testing.a2a.StandInA2aAgent;
import dev.quiver.testing.agents.TeamDirectory;
import dev.quiver.testing.http.RecordingEndpoint;
import dev.quiver.testing.http.RecordingEndpoint.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole MLOps loop on the demo model, with the built predict, drift and agent functions as processes and the team
 * around them in this JVM: a project manager (a CloudEvent sink) and a data scientist (an A2A agent that answers a
 * request for a model by training one with the training command and delivering it).
 *
 * <p>Drift is induced in churn version 1's traffic; the drift evaluation raises an alert and asks for a retrained
 * model; the agent relays both; the data scientist delivers version 2 by URI in the allowed store; the agent has it
 * benchmarked by the predict function, which registers it as the challenger and starts a canary; traffic promotes it;
 * the agent tells the project manager. Every message of the loop is in the agent's audit log under one correlation id,
 * and every hop carries the trace the evaluation started.
 */
class TeamLoopIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "qk_team_loop_" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    private static final String TRACE_ID = "5c1e0a7f3b9d4e2a8c6b0d1f2e3a4b5c";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-1a2b3c4d5e6f7081-01";

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The request the stand-in data scientist answers with a model. */
    private final java.util.concurrent.atomic.AtomicReference<JsonNode> answered =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** Why the stand-in data scientist could not deliver, if it could not. */
    private final java.util.concurrent.atomic.AtomicReference<Exception> scientistFailed =
            new java.util.concurrent.atomic.AtomicReference<>();

    @Test
    void driftLeadsToARetrainedModelThatARolloutPromotesAndTheProjectManagerHearsOfEveryStep() throws Exception {
        Path root = FunctionProcess.repositoryRoot();
        Path config = copyConfig(root);
        Path incoming = Files.createDirectories(work.resolve("incoming"));
        int predictPort = FunctionProcess.freePort();
        int driftPort = FunctionProcess.freePort();
        int agentPort = FunctionProcess.freePort();
        String agentUrl = "http://127.0.0.1:" + agentPort;

        List<Request> pm = new CopyOnWriteArrayList<>();
        RecordingEndpoint projectManager = RecordingEndpoint.start(202, pm);
        try (StandInA2aAgent scientist = new StandInA2aAgent("data_scientist_id")) {
            scientist.handler(r -> {
                JsonNode envelope = r.envelope();
                // the first request is answered: a drift incident and an accuracy incident may each ask for a model
                if (envelope != null && "model_deployment_request".equals(envelope.path("action").asText())
                        && answered.compareAndSet(null, envelope)) {
                    Thread t = new Thread(() -> deliver(root, incoming, envelope, r.traceparent(), agentUrl));
                    t.setDaemon(true);
                    t.start();
                }
                return scientist.acknowledge(r);
            });
            Path agents = work.resolve("agents.yaml");
            TeamDirectory.write(agents, "cloudevent: " + projectManager.url()
                    + "/events", "a2a: " + scientist.url(), "kafka: quiver.team.data-engineer");

            List<String> common = List.of("-Dquiver.security.api-keys.loop.sha256=" + sha256(
                            KEY.getBytes(StandardCharsets.UTF_8)),
                    "-Dquiver.security.api-keys.loop.roles=invoke,write,deploy,observe",
                    "-Dquiver.security.local-key.enabled=false",
                    "-Dquiver.agents.directory=" + agents,
                    "-Dquiver.audit.path=" + work.resolve("audit"),
                    "-Dquiver.team.sink-url=" + agentUrl + "/",
                    "-Dquiver.team.sink-api-key=" + KEY,
                    "-Dquarkus.log.console.format=%d{HH:mm:ss,SSS} %-5p traceId=%X{traceId} [%c{3.}] %s%e%n");
            List<String> stores = List.of("-Dquiver.store.path=" + work.resolve("models"),
                    "-Dquiver.store.catalog=" + config.resolve("models.yaml"),
                    "-Dquiver.capture.path=" + work.resolve("capture"));
            try (FunctionProcess agent = FunctionProcess.start("agent", agentPort, "loop-agent", join(common, List.of(
                    "-Dquiver.agent.state=" + work.resolve("agent"),
                    "-Dquiver.features.store.path=" + work.resolve("features"),
                    "-Dquiver.agent.predict.url=http://127.0.0.1:" + predictPort,
                    "-Dquiver.agent.predict.api-key=" + KEY,
                    "-Dquiver.agent.models.allowed-stores=" + incoming.toUri(),
                    "-Dquiver.agent.outbox.every=200ms",
                    "-Dquiver.agent.rollout-watch-every=500ms")));
                 FunctionProcess predict = FunctionProcess.start("predict", predictPort, "loop-predict",
                         join(common, stores, List.of(
                                 "-Dquiver.features.store.path=" + work.resolve("features"),
                                 "-Dquiver.capture.flush=300ms",
                                 "-Dquiver.rollouts.path=" + work.resolve("rollouts"),
                                 "-Dquiver.rollouts.tick=200ms",
                                 "-Dquiver.acceptance.warmup=1s",
                                 "-Dquiver.acceptance.duration=2s")));
                 // drift reads the store predict seeds from the catalog, and the catalog's service levels
                 FunctionProcess drift = startAfter(predict, () -> FunctionProcess.start("drift", driftPort,
                         "loop-drift", join(common, List.of(
                                 "-Dquiver.store.path=" + work.resolve("models"),
                                 "-Dquiver.capture.path=" + work.resolve("capture"),
                                 "-Dquiver.drift.service-levels=" + config.resolve("models.yaml"),
                                 "-Dquiver.drift.options=" + config.resolve("drift.yaml"),
                                 "-Dquiver.drift.every=0s"))))) {
                Duration start = Duration.ofSeconds(90);
                drift.awaitOk("/q/health/live", null, start);
                agent.awaitOk("/q/health/ready", null, start);

                // 1. drift: churn version 1 sees customers who call all day and call support often
                List<ObjectNode> rows = rows(root, 400);
                for (int i = 0; i < rows.size(); i += 100) {
                    ArrayNode batch = JSON.createArrayNode();
                    for (ObjectNode row : rows.subList(i, i + 100)) {
                        batch.add(row.deepCopy().put("total_day_minutes", 340.0 + row.get("total_day_minutes")
                                .asDouble() / 10).put("number_customer_service_calls", 7));
                    }
                    call(predict, "POST", "/predict", JSON.createObjectNode().put("model", "churn").set("rows",
                            batch), 200, null);
                }
                String window = await("a captured window of churn version 1", Duration.ofSeconds(30), () -> {
                    JsonNode w = call(drift, "GET", "/drift/models/churn/versions/1/windows", null, -1, null);
                    return w.isArray() && !w.isEmpty() && w.get(w.size() - 1).path("rows").asLong() >= 400
                            ? w.get(w.size() - 1).path("start").asText() : null;
                });

                // 2. the evaluation (the trace of the loop starts here) raises the alert and asks for a model
                JsonNode evaluated = call(drift, "POST", "/drift/models/churn/versions/1/evaluate?window=" + window,
                        null, 200, TRACEPARENT);
                assertThat(evaluated.toString()).contains("model_issue_alert");

                // 3. the data scientist is asked, over A2A, in the evaluation's trace, and delivers version 2
                JsonNode request = await("the data scientist's request", Duration.ofSeconds(30), answered::get);
                String correlation = request.path("correlation_id").asText();
                assertThat(correlation).isNotBlank();
                assertThat(request.path("sender").asText()).isEqualTo("quiver_ml_engineer");
                assertThat(request.at("/request/requirements/latency").asText()).isEqualTo("p99 <= 500 ms");
                assertThat(scientist.received()).allSatisfy(r -> assertThat(r.traceparent()).contains(TRACE_ID));

                // 4. the agent has the delivery benchmarked; predict registers it as the challenger and starts a canary
                await("a canary of churn version 2", Duration.ofSeconds(180), () -> {
                    if (scientistFailed.get() != null) {
                        throw new AssertionError("the data scientist could not deliver", scientistFailed.get());
                    }
                    JsonNode r = call(predict, "GET", "/rollouts/churn", null, -1, null);
                    return "2".equals(r.at("/rollout/challenger_version").asText()) ? r : null;
                });

                // 5. traffic promotes it
                await("the promotion of churn version 2", Duration.ofSeconds(180), () -> {
                    for (int i = 0; i < rows.size(); i += 20) {
                        for (ObjectNode row : rows.subList(i, i + 20)) {
                            call(predict, "POST", "/predict", JSON.createObjectNode().put("model", "churn")
                                    .set("rows", JSON.createArrayNode().add(row)), 200, null);
                        }
                    }
                    JsonNode r = call(predict, "GET", "/rollouts/churn", null, -1, null);
                    String status = r.at("/rollout/status").asText().toLowerCase(Locale.ROOT);
                    assertThat(status).as(r.toString()).isNotEqualTo("rolled_back");
                    return status.equals("promoted") ? r : null;
                });

                // 6. the project manager hears of the drift and of the promotion, in the loop's exchange and trace
                Request promoted = await("the project manager's news of the promotion", Duration.ofSeconds(30),
                        () -> pm.stream().filter(r -> r.body().contains("promoted to champion")).findFirst()
                                .orElse(null));
                JsonNode told = JSON.readTree(promoted.body());
                assertThat(told.path("correlation_id").asText()).isEqualTo(correlation);
                assertThat(told.at("/issue/severity").asText()).isEqualTo("low");
                assertThat(promoted.headers().get("traceparent")).contains(TRACE_ID);
                assertThat(pm.stream().filter(r -> r.body().contains("\"correlation_id\":\"" + correlation + "\"")))
                        .extracting(r -> r.headers().get("ce-type")).contains("model_issue_alert");

                // 7. every message of the loop is in the audit log under its correlation id, in the loop's trace
                JsonNode audit = call(agent, "GET", "/agent/audit?limit=1000&correlation_id=" + correlation, null,
                        200, null);
                Set<String> seen = new TreeSet<>();
                Set<String> traces = new TreeSet<>();
                for (JsonNode e : audit) {
                    seen.add(e.path("action").asText() + " " + e.path("event").asText());
                    if (e.hasNonNull("trace_id")) {
                        traces.add(e.path("trace_id").asText());
                    }
                }
                assertThat(seen).contains("model_issue_alert received", "model_issue_alert sent",
                        "model_issue_alert delivered", "model_deployment_request received",
                        "model_deployment_request sent", "model_deployment_request delivered",
                        "model_delivery received", "model_delivery acted", "acknowledgement sent");
                assertThat(traces).containsExactly(TRACE_ID);
                assertThat(drift.log()).contains("traceId=" + TRACE_ID);
                assertThat(predict.log()).contains("traceId=" + TRACE_ID);
            }
        } finally {
            projectManager.close();
        }
    }

    /** The data scientist's work: train version 2 with another seed into the store and deliver it by URI over A2A. */
    private void deliver(Path root, Path incoming, JsonNode request, String traceparent, String agentUrl) {
        try {
            Path out = incoming.resolve("churn/2");
            Process train = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", root.resolve("platform/tools/train/target/quiver-train.jar").toString(), "--seed", "7",
                    "--out", out.toString()).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(Path.of("target", "loop-train.log").toFile()).start();
            if (!train.waitFor(5, TimeUnit.MINUTES) || train.exitValue() != 0) {
                throw new IllegalStateException("training failed; see target/loop-train.log");
            }
            ObjectNode delivery = JSON.createObjectNode().put("action", "model_delivery")
                    .put("recipient", "quiver_ml_engineer").put("sender", "data_scientist_id")
                    .put("message_id", "ds-delivery-1").put("in_reply_to", request.path("message_id").asText())
                    .put("correlation_id", request.path("correlation_id").asText());
            delivery.putObject("delivery").put("model_id", "churn").put("version", "2").put("format", "onnx")
                    .put("sha256", sha256(Files.readAllBytes(out.resolve("model.onnx"))))
                    .putObject("artifact").put("uri", out.resolve("model.onnx").toUri().toString());
            ObjectNode rpc = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", "message/send");
            ObjectNode message = rpc.putObject("params").putObject("message");
            message.put("kind", "message").put("role", "user").put("messageId", "ds-delivery-1");
            message.putArray("parts").addObject().put("kind", "data").set("data", delivery);
            message.putObject("metadata").put("traceparent", traceparent);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(agentUrl + "/a2a"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(rpc.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || r.body().contains("\"error\"")) {
                throw new IllegalStateException("the agent refused the delivery: " + r.body());
            }
        } catch (Exception e) {
            scientistFailed.set(e);
        }
    }

    /** The repository's config/ in the work directory, with a rollout and service levels a test can go through. */
    private Path copyConfig(Path root) throws IOException {
        Path to = work.resolve("config");
        try (Stream<Path> files = Files.walk(root.resolve("config"))) {
            for (Path f : files.toList()) {
                Path target = to.resolve(root.resolve("config").relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        String models = Files.readString(to.resolve("models.yaml"))
                .replace("steps: [25, 50, 75, 100]", "steps: [50, 100]")
                .replace("min_requests: 1000 ", "min_requests: 30 ")
                .replace("min_duration: PT10M", "min_duration: PT0S")
                .replace("min_drift_samples: 1000 ", "min_drift_samples: 100000 ")
                // 30 requests of a version just loaded, on a shared machine: its p99 is noise, not what the loop tests
                .replace("min_p99_latency_increase_ms: 2 ", "min_p99_latency_increase_ms: 1000 ")
                // the retrained model is meant to score differently, and 30 requests an arm make a noisy mean
                .replace("max_score_divergence: 0.1 ", "max_score_divergence: 1.0 ")
                .replace("p99_ms: 100", "p99_ms: 500")
                .replace("requests_per_second: 1000", "requests_per_second: 50");
        assertThat(models).contains("steps: [50, 100]", "min_requests: 30 ", "p99_ms: 500",
                "min_p99_latency_increase_ms: 1000 ", "max_score_divergence: 1.0 ");
        Files.writeString(to.resolve("models.yaml"), models);
        String drift = Files.readString(to.resolve("drift.yaml")).replace("retrain_after_windows: 3",
                "retrain_after_windows: 1");
        assertThat(drift).contains("retrain_after_windows: 1");
        Files.writeString(to.resolve("drift.yaml"), drift);
        return to;
    }

    /** The first {@code n} customers of the churn data, as rows of the model's features. */
    private static List<ObjectNode> rows(Path root, int n) throws IOException {
        List<String> lines = Files.readAllLines(root.resolve("platform/tools/train/data/mlc_churn.csv"));
        String[] header = lines.get(0).replace("\"", "").split(",");
        List<ObjectNode> rows = new ArrayList<>();
        for (String line : lines.subList(1, n + 1)) {
            String[] v = line.split(",");
            ObjectNode row = JSON.createObjectNode();
            for (int i = 0; i < header.length - 1; i++) {
                String value = v[i];
                if (value.startsWith("\"")) {
                    row.put(header[i], value.replace("\"", ""));
                } else {
                    row.put(header[i], Double.parseDouble(value));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private JsonNode call(FunctionProcess fn, String method, String path, JsonNode body, int expect,
                          String traceparent) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fn.baseUri() + path))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + KEY);
            if (traceparent != null) {
                b.header("traceparent", traceparent);
            }
            if (body != null) {
                b.header("Content-Type", "application/json").method(method,
                        HttpRequest.BodyPublishers.ofString(body.toString()));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (expect > 0) {
                assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expect);
            }
            return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What starts a function. */
    private interface Start {
        FunctionProcess start() throws IOException;
    }

    /** Starts a function once {@code first} is ready. */
    private static FunctionProcess startAfter(FunctionProcess first, Start next) throws Exception {
        first.awaitOk("/q/health/ready", null, Duration.ofSeconds(90));
        return next.start();
    }

    /** Polls {@code check} until it gives a value, failing with {@code what} after {@code timeout}. */
    private static <T> T await(String what, Duration timeout, java.util.function.Supplier<T> check)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            T value = check.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + what + " within " + timeout);
    }

    @SafeVarargs
    private static List<String> join(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts) {
            out.addAll(p);
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
