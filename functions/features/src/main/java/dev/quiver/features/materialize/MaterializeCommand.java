package dev.quiver.features.materialize;

import dev.quiver.feature.Materializer;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Singleton;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code java -jar quarkus-run.jar materialize [--view NAME] [--file PATH] [--timestamp ISO]}: loads a CSV or
 * JSON-lines file (by default each view's batch source) into the configured store, prints the rows read and
 * written per view and exits 0; on bad input or an unreachable store prints {@code materialize: <reason>} and
 * exits 1 (2 for a usage error), never a stack trace.
 */
@Singleton
public class MaterializeCommand implements QuarkusApplication {

    /** Exit status when the arguments cannot be read. */
    static final int USAGE_ERROR = 2;
    /** Exit status when the load failed. */
    static final int FAILED = 1;

    private final BulkLoad load;

    public MaterializeCommand(BulkLoad load) {
        this.load = load;
    }

    @Override
    public int run(String... args) {
        return run(System.out, System.err, args);
    }

    /** Runs the command, printing to {@code out} and {@code err}; returns the exit status. */
    public int run(PrintStream out, PrintStream err, String... args) {
        MaterializeArgs parsed;
        try {
            parsed = MaterializeArgs.parse(args);
        } catch (RuntimeException e) {
            err.println("materialize: " + e.getMessage());
            err.println(MaterializeArgs.USAGE);
            return USAGE_ERROR;
        }
        if (parsed.help()) {
            out.println(MaterializeArgs.USAGE);
            return 0;
        }
        try {
            List<Materializer.Result> results = load.run(parsed);
            for (Materializer.Result r : results) {
                out.printf("%s: %d rows read, %d written%n", r.view(), r.rows(), r.written());
            }
            return 0;
        } catch (RuntimeException e) {
            // the message names the argument, the file and line, or the store that failed; a trace adds nothing
            err.println("materialize: " + e.getMessage());
            return FAILED;
        }
    }
}
