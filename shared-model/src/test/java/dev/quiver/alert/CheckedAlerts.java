package dev.quiver.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Messages;
import dev.quiver.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link AlertSink} for tests that keeps what it is sent, and fails (with an {@link AssertionError}) on an alert
 * that the published JSON Schema or {@link Messages#parse} would refuse as the recipient reads it.
 */
public final class CheckedAlerts implements AlertSink {

    private static final Schema SCHEMA = load();

    private final List<IssueAlert> sent = new CopyOnWriteArrayList<>();

    @Override
    public void emit(IssueAlert alert) {
        sent.add(valid(alert));
    }

    /** What was emitted, oldest first. */
    public List<IssueAlert> sent() {
        return sent;
    }

    /** {@code alert}, once its JSON passed the schema and reads back equal. */
    public static IssueAlert valid(IssueAlert alert) {
        String json = Messages.toJson(alert);
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Error> errors = SCHEMA.validate(tree, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)));
        if (!errors.isEmpty()) {
            throw new AssertionError("the alert " + json + " fails the schema: " + errors);
        }
        if (!Messages.toJson(Messages.parse(json)).equals(json)) {
            throw new AssertionError("the alert " + json + " reads back different");
        }
        return alert;
    }

    private static Schema load() {
        try (InputStream in = CheckedAlerts.class.getResourceAsStream(Messages.SCHEMA_RESOURCE)) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
