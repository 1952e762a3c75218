package dev.quiver.features.materialize;

import dev.quiver.error.QuiverException;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The {@code materialize} command's arguments.
 *
 * @param view      the view to load; null for every view that declares a batch source
 * @param file      the file to load instead of the view's batch source; null for the source's own file
 * @param timestamp the event time of rows that carry none; null for the time of the load
 */
public record MaterializeArgs(String view, Path file, Instant timestamp, boolean help) {

    /** What the command prints for {@code --help} and after a usage error. */
    public static final String USAGE = """
            usage: materialize [--view NAME] [--file PATH] [--timestamp ISO-8601]
              --view NAME        the feature view to load (default: every view with a batch source)
              --file PATH        a CSV file with a header row, or JSON lines, instead of the view's batch source;
                                 its rows carry their join keys
              --timestamp TIME   the event time of rows without one, such as 2026-11-01T00:00:00Z (default: now)
            The store is the one configured (quiver.features.store.kind: embedded or redis).""";

    /**
     * Reads {@code args}; a usage error is BAD_INPUT naming the argument.
     */
    public static MaterializeArgs parse(String... args) {
        String view = null;
        Path file = null;
        Instant timestamp = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    return new MaterializeArgs(null, null, null, true);
                }
                case "--view" -> view = value(args, ++i, a);
                case "--file" -> file = Path.of(value(args, ++i, a));
                case "--timestamp" -> timestamp = instant(value(args, ++i, a));
                default -> throw QuiverException.badInput(a, "unknown argument; expected --view, --file or --timestamp");
            }
        }
        return new MaterializeArgs(view, file, timestamp, false);
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length || args[i].startsWith("--") || args[i].isBlank()) {
            throw QuiverException.badInput(name, "needs a value");
        }
        return args[i];
    }

    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw QuiverException.badInput("--timestamp", "must be an ISO-8601 time with a zone, such as "
                    + "2026-11-01T00:00:00Z, not '" + text + "'");
        }
    }
}
