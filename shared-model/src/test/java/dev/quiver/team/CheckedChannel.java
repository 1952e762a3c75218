package dev.quiver.team;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.quiver.agent.DeploymentRequest;
import dev.quiver.agent.Envelope;
import dev.quiver.agent.FeatureRequest;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Messages;
import dev.quiver.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link TeamChannel} for tests that keeps what it is sent, by kind, and fails (with an {@link AssertionError}) on
 * an envelope that the published JSON Schema or {@link Messages#parse} would refuse as the recipient reads it, or
 * that lacks the sender, message id, correlation id or time sent that Quiver always writes.
 */
public final class CheckedChannel implements TeamChannel {

    private static final Schema SCHEMA = load();

    private final List<Envelope> sent = new CopyOnWriteArrayList<>();
    private final List<IssueAlert> alerts = new CopyOnWriteArrayList<>();
    private final List<DeploymentRequest> deploymentRequests = new CopyOnWriteArrayList<>();
    private final List<FeatureRequest> featureRequests = new CopyOnWriteArrayList<>();

    @Override
    public void send(Envelope envelope) {
        sent.add(valid(envelope));
        if (envelope instanceof IssueAlert a) {
            alerts.add(a);
        } else if (envelope instanceof DeploymentRequest d) {
            deploymentRequests.add(d);
        } else if (envelope instanceof FeatureRequest f) {
            featureRequests.add(f);
        }
    }

    /** Every envelope sent, oldest first. */
    public List<Envelope> sent() {
        return sent;
    }

    /** The alerts sent, oldest first. */
    public List<IssueAlert> alerts() {
        return alerts;
    }

    /** The deployment requests sent, oldest first. */
    public List<DeploymentRequest> deploymentRequests() {
        return deploymentRequests;
    }

    /** The feature requests sent, oldest first. */
    public List<FeatureRequest> featureRequests() {
        return featureRequests;
    }

    /** {@code envelope}, once its JSON passed the schema, reads back equal, and its header is complete. */
    public static <E extends Envelope> E valid(E envelope) {
        String json = Messages.toJson(envelope);
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Error> errors = SCHEMA.validate(tree, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)));
        if (!errors.isEmpty()) {
            throw new AssertionError("the envelope " + json + " fails the schema: " + errors);
        }
        if (!Messages.toJson(Messages.parse(json)).equals(json)) {
            throw new AssertionError("the envelope " + json + " reads back different");
        }
        for (String field : List.of("recipient", "sender", "message_id", "correlation_id", "sent_at")) {
            if (!tree.hasNonNull(field)) {
                throw new AssertionError("the envelope " + json + " has no " + field);
            }
        }
        return envelope;
    }

    private static Schema load() {
        try (InputStream in = CheckedChannel.class.getResourceAsStream(Messages.SCHEMA_RESOURCE)) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
