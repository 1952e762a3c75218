package dev.quiver.drift.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.drift.evaluation.DriftService;
import dev.quiver.drift.function.DriftTriggers;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;
import org.jboss.logging.Logger;

/**
 * The drift function on Lambda, for the events that start its work:
 * <ul>
 *   <li><b>an EventBridge schedule</b> ({@code "detail-type": "Scheduled Event"}, from an EventBridge rule or
 *       EventBridge Scheduler): evaluates the latest window of every captured model version;</li>
 *   <li><b>an EventBridge event</b> of {@code detail-type} {@code drift.evaluate} (detail
 *       {@code {"model", "version", "window"?}}) or {@code model.feedback} (detail {@code {"model", "outcomes"}});</li>
 *   <li><b>an SQS batch</b> of {@code model.feedback} bodies, the usual road for labels that arrive late. A message
 *       that fails is reported in {@code batchItemFailures} (enable {@code ReportBatchItemFailures} on the event
 *       source mapping) so that SQS delivers it again and, after {@code maxReceiveCount}, moves it to the dead-letter
 *       queue; the others are kept.</li>
 * </ul>
 * Bad input fails the invocation with a {@link QuiverException} naming the field ({@code detail.outcomes[0].label});
 * nothing of it is stored. The work is {@link DriftTriggers}', as for the CloudEvents door.
 */
public class DriftLambda implements RequestHandler<JsonNode, JsonNode> {

    private static final Logger LOG = Logger.getLogger(DriftLambda.class);
    static final String SCHEDULED = "Scheduled Event";

    private final DriftTriggers triggers;

    public DriftLambda(DriftTriggers triggers) {
        this.triggers = triggers;
    }

    @Override
    public JsonNode handleRequest(JsonNode event, Context context) {
        if (event != null && event.has("Records")) {
            return sqs(event.get("Records"));
        }
        if (event != null && event.hasNonNull("detail-type")) {
            return eventBridge(event.get("detail-type").asText(), event.get("detail"));
        }
        throw QuiverException.badInput("event", "neither an EventBridge event (with detail-type) nor an SQS batch"
                + " (with Records)");
    }

    private JsonNode eventBridge(String type, JsonNode detail) {
        return switch (type) {
            case SCHEDULED -> swept(triggers.sweep());
            case DriftTriggers.EVALUATE -> Json.MAPPER.valueToTree(triggers.evaluate(detail, "detail"));
            case DriftTriggers.FEEDBACK -> Json.MAPPER.createObjectNode()
                    .put("accepted", triggers.feedback(detail, "detail"));
            default -> throw QuiverException.badInput("detail-type", "'" + type + "' is not an event this function"
                    + " takes; send '" + SCHEDULED + "', " + DriftTriggers.EVALUATE + " or " + DriftTriggers.FEEDBACK);
        };
    }

    /** Each record's body is a feedback body; the failed ones go back to SQS. */
    private JsonNode sqs(JsonNode records) {
        ObjectNode reply = Json.MAPPER.createObjectNode();
        ArrayNode failures = reply.putArray("batchItemFailures");
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            String id = record.path("messageId").asText("");
            String at = "Records[" + i + "].body";
            try {
                triggers.feedback(DriftTriggers.json(record.path("body").asText(null), at), at);
            } catch (RuntimeException e) {
                // Bad input cannot succeed on a retry; it still goes back, to end in the dead-letter queue rather
                // than be lost. A store that is down may well succeed on the next delivery.
                LOG.warnf("feedback message %s refused: %s", id, e.getMessage());
                failures.addObject().put("itemIdentifier", id);
            }
        }
        return reply;
    }

    private static JsonNode swept(DriftService.Sweep sweep) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode evaluated = out.putArray("evaluated");
        for (DriftService.Evaluation e : sweep.evaluations()) {
            evaluated.addObject().put("model", e.report().model()).put("version", e.report().version())
                    .put("window", e.report().window().toString())
                    .put("dataset_drift", e.report().drift().datasetDrift())
                    .put("drifted_columns", e.report().drift().driftedColumns())
                    .put("alerts", e.alerts().size());
        }
        out.set("skipped", Json.MAPPER.valueToTree(sweep.skipped()));
        return out;
    }
}
