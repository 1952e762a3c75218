package dev.quiver.drift.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.drift.evaluation.DriftService;
import dev.quiver.drift.function.DriftTriggers;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;
import dev.quiver.lambda.events.EventBridgeEvent;
import dev.quiver.lambda.events.SpansBeforeAnswer;
import io.quarkus.funqy.Funq;

/**
 * The drift function on Lambda (Funqy, {@code quarkus.funqy.export=drift}), for the events that start its work:
 * <ul>
 *   <li><b>an EventBridge schedule</b> ({@code "detail-type": "Scheduled Event"}, from an EventBridge rule or
 *       EventBridge Scheduler): evaluates the latest window of every captured model version;</li>
 *   <li><b>an EventBridge event</b> of {@code detail-type} {@code drift.evaluate} (detail
 *       {@code {"model", "version", "window"?}}) or {@code model.feedback} (detail {@code {"model", "outcomes"}});</li>
 *   <li><b>an SQS batch</b> whose messages each carry a {@code model.feedback} body, the usual road for labels that
 *       arrive late, or a whole EventBridge event (a queue that is a rule's target). Funqy's advanced event handling
 *       splits the batch and calls this function once per message body; a message that fails is reported in
 *       {@code batchItemFailures} (enable {@code ReportBatchItemFailures} on the event source mapping) so that SQS
 *       delivers it again and, after {@code maxReceiveCount}, moves it to the dead-letter queue; the others are
 *       kept.</li>
 * </ul>
 * Bad input fails the invocation (or the message) with a {@link QuiverException} naming the field
 * ({@code detail.outcomes[0].label}, {@code body.model}); nothing of it is stored. The work is {@link DriftTriggers}',
 * as for the CloudEvents door.
 */
public class DriftLambda {

    private final DriftTriggers triggers;

    public DriftLambda(DriftTriggers triggers) {
        this.triggers = triggers;
    }

    /**
     * One event, or one SQS message's body: an EventBridge event when it has a {@code detail-type}, else a
     * {@code model.feedback} body.
     *
     * @return what the event did: the sweep, the evaluation, or the number of labels accepted (for an SQS batch
     *         Funqy answers with the batch's failures instead)
     */
    @SpansBeforeAnswer
    @Funq("drift")
    public JsonNode drift(JsonNode event) {
        if (EventBridgeEvent.is(event)) {
            return eventBridge(typed(event));
        }
        if (event != null && event.has("Records")) {
            throw QuiverException.badInput("Records[0].eventSource", "'" + event.at("/Records/0/eventSource")
                    .asText("") + "' is not a source this function takes; send an SQS batch (aws:sqs)");
        }
        if (event == null || !event.isObject() || !(event.has("model") || event.has("outcomes"))) {
            throw QuiverException.badInput("event", "neither an EventBridge event (with detail-type), an SQS batch"
                    + " (with Records) nor a " + DriftTriggers.FEEDBACK + " body (with model and outcomes)");
        }
        return Json.MAPPER.createObjectNode().put("accepted", triggers.feedback(event, "body"));
    }

    private JsonNode eventBridge(EventBridgeEvent event) {
        return switch (event.detailType()) {
            case EventBridgeEvent.SCHEDULED -> swept(triggers.sweep());
            case DriftTriggers.EVALUATE -> Json.MAPPER.valueToTree(triggers.evaluate(event.detail(), "detail"));
            case DriftTriggers.FEEDBACK -> Json.MAPPER.createObjectNode()
                    .put("accepted", triggers.feedback(event.detail(), "detail"));
            default -> throw QuiverException.badInput("detail-type", "'" + event.detailType() + "' is not an event"
                    + " this function takes; send '" + EventBridgeEvent.SCHEDULED + "', " + DriftTriggers.EVALUATE
                    + " or " + DriftTriggers.FEEDBACK);
        };
    }

    private static EventBridgeEvent typed(JsonNode event) {
        try {
            return Json.MAPPER.treeToValue(event, EventBridgeEvent.class);
        } catch (JsonProcessingException bad) {
            throw QuiverException.badInput("event", "not an EventBridge event: " + bad.getOriginalMessage());
        }
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
