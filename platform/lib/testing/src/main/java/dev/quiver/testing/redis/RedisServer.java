package dev.quiver.testing.redis;

import dev.quiver.testing.net.Ports;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's package) as a child process on a loopback port, without persistence, for
 * tests. It can be paused (SIGSTOP: the socket stays open and nothing answers), resumed, stopped or killed, and
 * started again on the same port.
 */
public final class RedisServer implements AutoCloseable {

    private final int port;
    private Process process;
    private boolean paused;

    private RedisServer(int port) {
        this.port = port;
    }

    /** Starts a server on a free loopback port and waits until it answers PING. */
    public static RedisServer start() {
        RedisServer server = new RedisServer(Ports.freeLoopbackPort());
        server.startAgain();
        return server;
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** A plain RESP client to this server, independent of the code under test. */
    public RawRedis client() {
        return new RawRedis("127.0.0.1", port);
    }

    /** Starts the server again on the same port, after {@link #stop()} or {@link #kill()}. */
    public void startAgain() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is still running");
        }
        Path log = Path.of("target", "redis-" + port + ".log");
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(executable(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--protected-mode", "yes")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start redis-server", e);
        }
        paused = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see " + log);
            }
            try (RawRedis redis = client()) {
                if ("PONG".equals(redis.call("PING"))) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server on port " + port + " did not answer PING in 10 s");
            }
            sleep(20);
        }
    }

    /** Freezes the process (SIGSTOP): connections stay open, commands get no answer. */
    public void pause() {
        signal("-STOP");
        paused = true;
    }

    /** Lets a paused process go on (SIGCONT); what it was sent meanwhile is answered. */
    public void resume() {
        signal("-CONT");
        paused = false;
    }

    /** Shuts the server down (SIGTERM) and waits for it to exit. */
    public void stop() {
        end(false);
    }

    /** Kills the server (SIGKILL), as a crash would, and waits for it to exit. */
    public void kill() {
        end(true);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private void end(boolean force) {
        if (paused) {
            resume();
        }
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** redis-server from the PATH, else Debian's /usr/bin/redis-server. */
    private static String executable() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + File.pathSeparator + "/usr/bin").split(File.pathSeparator)) {
            File candidate = new File(dir, "redis-server");
            if (!dir.isEmpty() && candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        throw new IllegalStateException("redis-server is not on the PATH: these tests need a real Redis; "
                + "install it with 'apt-get install -y redis-server' (./verify does)");
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
