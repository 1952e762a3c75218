package dev.quiver.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A built function started as its own JVM process, the way the README's run command starts it (with the JVM options
 * of config/predict.jvm.args), on a free loopback port and a model store of the test's choosing. Its output goes to a
 * log file under target/.
 */
final class FunctionProcess implements AutoCloseable {

    private static final String ARCHIVE_OPTION = "-XX:SharedArchiveFile=";

    private final Process process;
    private final int port;
    private final Path log;
    private final long startedNanos;

    private FunctionProcess(Process process, int port, Path log, long startedNanos) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    static Path repositoryRoot() {
        return Path.of(System.getProperty("repo.root", "../..")).toAbsolutePath().normalize();
    }

    /**
     * Starts functions/predict's runnable jar with the given model store and the repository's catalog, and
     * {@code settings} ({@code -Dkey=value}) on top.
     */
    static FunctionProcess startPredict(Path store, String name, String... settings) throws IOException {
        Path root = repositoryRoot();
        Path jar = runnableJar(root, "predict");
        int port = freePort();
        Path log = Path.of("target", name + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquiver.store.path=" + store,
                "-Dquiver.store.catalog=" + root.resolve("config/models.yaml"),
                "-Dquiver.features.definitions=" + root.resolve("config/features.yaml"),
                "-Dquiver.features.store.path=" + store.resolveSibling(store.getFileName() + "-features"),
                "-Dquiver.security.local-key.path=" + localKeyFile(store),
                "-Dquiver.audit.path=" + store.resolveSibling(store.getFileName() + "-audit")));
        cmd.addAll(runCommandOptions(root));
        cmd.addAll(List.of(settings));
        cmd.addAll(List.of("-jar", jar.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new FunctionProcess(p, port, log, t0);
    }

    /**
     * Starts functions/{@code function}'s runnable jar on {@code port} with {@code settings} ({@code -Dkey=value}), from
     * the repository root, as its run command does; its output goes to target/{@code name}.log.
     */
    static FunctionProcess start(String function, int port, String name, List<String> settings) throws IOException {
        Path root = repositoryRoot();
        Path jar = runnableJar(root, function);
        Path log = Path.of("target", name + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1"));
        cmd.addAll(settings);
        cmd.addAll(List.of("-jar", jar.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new FunctionProcess(p, port, log, t0);
    }

    /**
     * The jar that starts functions/{@code function}: predict's one runnable jar, the others' {@code quarkus-run.jar} in
     * Quarkus's directory layout.
     */
    static Path runnableJar(Path root, String function) {
        Path jar = function.equals("predict") ? root.resolve("functions/predict/target/quiver-predict-runner.jar")
                : root.resolve("functions/" + function + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build functions/" + function
                    + " first (mvn verify builds it)");
        }
        return jar;
    }

    /** Where a function started on {@code store} keeps the local key it makes at first start. */
    static Path localKeyFile(Path store) {
        return store.resolveSibling(store.getFileName() + "-deploy-key");
    }

    /**
     * The JVM options of the README's run command, from config/predict.jvm.args, with the archive's path (relative to
     * the repository root, where that command runs) made absolute: the process here runs in this module's directory.
     */
    static List<String> runCommandOptions(Path root) throws IOException {
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("config/predict.jvm.args"))) {
            String option = line.strip();
            if (option.isEmpty() || option.startsWith("#")) {
                continue;
            }
            options.add(option.startsWith(ARCHIVE_OPTION)
                    ? ARCHIVE_OPTION + root.resolve(option.substring(ARCHIVE_OPTION.length()))
                    : option);
        }
        return options;
    }

    String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Waits until {@code path} answers 200, and returns the time since the process was started. */
    Duration awaitOk(String path, String jsonBody, Duration timeout) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the function exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUri() + path)).timeout(Duration.ofSeconds(2));
                HttpRequest req = jsonBody == null ? b.GET().build()
                        : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build();
                if (client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - startedNanos);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(path + " did not answer 200 within " + timeout + "; see " + log);
    }

    /** Waits for the process to end by itself and returns its exit status. */
    int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the function still runs after " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
