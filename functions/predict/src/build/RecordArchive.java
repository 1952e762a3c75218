import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Records the predict function's class-data archive with a training run, as the build's last step.
 *
 * <p>It starts the built jar on throw-away stores with {@code -XX:ArchiveClassesAtExit}, waits for a
 * prediction to be answered, touches the other doors a deployment uses at start (readiness, the model's
 * metadata, the metrics scrape), and stops the function: the JVM writes the classes that run loaded into the
 * archive as it exits. {@code config/predict.jvm.args} names the archive, so the README's run command starts
 * with those classes already parsed and verified. The archive is written beside the jar only when the run
 * succeeded; a run that fails fails the build with the function's log.
 *
 * <p>A single-file program (JEP 330), run by Maven from the repository root so that the demo catalog's relative
 * path resolves, and with the same JVM as the build, whose archive it must match:
 * {@code java RecordArchive.java <jar> <archive> <prediction body>}.
 */
public class RecordArchive {

    private static final Duration START_LIMIT = Duration.ofMinutes(2);

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: RecordArchive <jar> <archive> <prediction body>");
        }
        Path jar = Path.of(args[0]);
        Path archive = Path.of(args[1]);
        String body = Files.readString(Path.of(args[2]));
        Path work = Files.createTempDirectory("quiver-archive-");
        Path partial = work.resolve("predict.jsa");
        Path log = work.resolve("function.log");
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(java, "-XX:ArchiveClassesAtExit=" + partial,
                "-Dquarkus.http.port=" + port,
                "-Dquiver.store.path=" + work.resolve("models"),
                "-Dquiver.rollouts.path=" + work.resolve("rollouts"),
                "-Dquiver.capture.path=" + work.resolve("capture"),
                "-Dquiver.features.store.path=" + work.resolve("features"),
                "-jar", jar.toString());
        Process function = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            train(function, URI.create("http://127.0.0.1:" + port), body);
            function.destroy();
            if (!function.waitFor(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the function did not stop within a minute of SIGTERM");
            }
            if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
                throw new IllegalStateException("the JVM wrote no archive at exit (exit status " + function.exitValue() + ")");
            }
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
            System.out.printf("[quiver] class-data archive recorded: %s (%,d bytes)%n", archive, Files.size(archive));
        } catch (Exception e) {
            System.err.println("[quiver] recording the class-data archive failed: " + e.getMessage());
            System.err.println("[quiver] the function's log (" + command + "):");
            System.err.println(Files.exists(log) ? Files.readString(log) : "(none)");
            throw e;
        } finally {
            function.destroyForcibly();
            deleteTree(work);
        }
    }

    /** One prediction, then what a platform asks of a fresh instance: readiness, metadata, metrics. */
    private static void train(Process function, URI base, String body) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest predict = HttpRequest.newBuilder(base.resolve("/predict"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30)).build();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (true) {
            if (!function.isAlive()) {
                throw new IllegalStateException("the function exited with " + function.exitValue() + " before answering");
            }
            try {
                HttpResponse<String> answer = http.send(predict, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    break;
                }
                if (answer.statusCode() != 503) {
                    throw new IllegalStateException("the prediction was answered " + answer.statusCode() + ": " + answer.body());
                }
            } catch (IOException notListeningYet) {
                // the HTTP server is not up yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no prediction was answered within " + START_LIMIT);
            }
            Thread.sleep(50);
        }
        for (String path : List.of("/v2/health/ready", "/v2/models/churn", "/q/metrics")) {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(base.resolve(path)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " was answered " + answer.statusCode());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
