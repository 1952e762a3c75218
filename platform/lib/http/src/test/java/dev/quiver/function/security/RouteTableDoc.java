package dev.quiver.function.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's table of who may call what, read back, so that a function's tests can hold it to the function's
 * {@link AccessRules}. A row is {@code | function | `METHOD /path` | role |}, or {@code | function | CloudEvent `type` |
 * role |}; {@code every function} rows belong to all, and the role {@code anyone} is an open route.
 */
public final class RouteTableDoc {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*([a-z ]+?)\\s*\\|\\s*(CloudEvent )?`([^`]+)`\\s*\\|\\s*([a-z]+)\\s*\\|$");

    private RouteTableDoc() {
    }

    /** The rows of {@code function} (and of every function), as {@code "POST /predict -> invoke"}. */
    public static Set<String> documented(Path readme, String function) {
        Set<String> rows = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(readme)) {
                Matcher m = ROW.matcher(line.strip());
                if (m.matches() && (m.group(1).equals(function) || m.group(1).equals("every function"))) {
                    rows.add((m.group(2) != null ? "CloudEvent " : "") + m.group(3) + " -> " + m.group(4));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** The same rows, from the table the function enforces. */
    public static Set<String> declared(AccessRules rules) {
        Set<String> rows = new TreeSet<>();
        for (AccessRules.Rule r : rules.rules()) {
            if (r.body() != AccessRules.Body.CLOUDEVENT) {
                rows.add(r.method() + " " + r.path() + " -> " + (r.role() == null ? "anyone" : r.role().id()));
            }
        }
        rules.events().values().forEach(e -> rows.add("CloudEvent " + e.type() + " -> " + e.role().id()));
        return rows;
    }
}
