package dev.quiver.features.app;

import dev.quiver.features.materialize.MaterializeCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.Arrays;

/**
 * The features function's entry point: {@code materialize ...} runs the bulk load command and exits with its
 * status (see {@link MaterializeCommand}); anything else serves the function.
 *
 * <p>The command runs in Quarkus's command mode with the same configuration and store as the server, except
 * that it opens no HTTP port (so it can run beside a serving instance on the same machine), skips the demo
 * load (it loads what it is told), gives each batch write to Redis {@code quiver.features.redis.load-timeout}
 * rather than the read timeout (a pipeline of a few hundred rows is not a 50 ms call), and logs to stderr
 * without Quarkus's start and stop lines, so stdout holds the counts only.
 */
@QuarkusMain
public final class FeaturesMain {

    /** The first argument that selects the bulk load command. */
    public static final String MATERIALIZE = "materialize";

    private FeaturesMain() {
    }

    public static void main(String... args) {
        if (args.length > 0 && MATERIALIZE.equals(args[0])) {
            // system properties are a config source above application.properties: the command's own settings
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("quiver.features.load-demo", "false");
            System.setProperty("quiver.features.redis.timeout", "${quiver.features.redis.load-timeout}");
            System.setProperty("quarkus.log.console.stderr", "true");
            System.setProperty("quarkus.log.category.\"io.quarkus\".level", "WARN");
            Quarkus.run(MaterializeCommand.class, Arrays.copyOfRange(args, 1, args.length));
        } else {
            Quarkus.run(args);
        }
    }
}
