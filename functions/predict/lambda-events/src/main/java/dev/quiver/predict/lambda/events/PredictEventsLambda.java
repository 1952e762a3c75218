package dev.quiver.predict.lambda.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;
import dev.quiver.lambda.events.EventBridgeEvent;
import dev.quiver.lambda.events.S3Notification;
import dev.quiver.lambda.events.SpansBeforeAnswer;
import dev.quiver.prediction.PredictRequest;
import io.quarkus.funqy.Funq;
import org.jboss.logging.Logger;

/**
 * The predict function's event doors on Lambda (Funqy, {@code quarkus.funqy.export=predict-events}), for batch
 * scoring ({@link BatchScoring}):
 * <ul>
 *   <li><b>an S3 event notification</b> ({@code Records[].eventSource: aws:s3}, {@code ObjectCreated:*}), from the
 *       bucket directly: each object of rows is scored into JSON Lines under the output prefix;</li>
 *   <li><b>an EventBridge "Object Created" event</b> (source {@code aws.s3}, the bucket's EventBridge notifications
 *       on): the same for the object its detail names;</li>
 *   <li><b>an SQS batch</b> whose messages each carry a prediction request (the body of {@code POST /predict}:
 *       {@code {"model", "rows"}} or {@code {"model", "entities"}}), or one of the two events above (a bucket or a rule
 *       that notifies a queue). Funqy's advanced event handling calls this function once per message body; a message
 *       that fails is reported in {@code batchItemFailures} and the others are kept. S3's {@code s3:TestEvent} is
 *       acknowledged and ignored.</li>
 * </ul>
 * A refused event or message names the field ({@code detail.object.key}, {@code rows[0].state}, {@code line 3.state}
 * for a row of an object) and writes nothing.
 */
public class PredictEventsLambda {

    /** The {@code detail-type} of S3's EventBridge event for a new object. */
    static final String OBJECT_CREATED = "Object Created";

    private static final Logger LOG = Logger.getLogger(PredictEventsLambda.class);

    private final BatchScoring batch;

    public PredictEventsLambda(BatchScoring batch) {
        this.batch = batch;
    }

    /**
     * One event, or one SQS message's body.
     *
     * @return where the predictions went ({@code output}, {@code model}, {@code version}, {@code rows}); for an S3
     *         notification, one such entry per object under {@code written}; for an SQS batch Funqy answers with the
     *         batch's failures instead
     */
    @SpansBeforeAnswer
    @Funq("predict-events")
    public JsonNode predictEvents(JsonNode event) {
        if (S3Notification.isTestEvent(event)) {
            LOG.info("s3:TestEvent acknowledged");
            return Json.MAPPER.createObjectNode().put("ignored", "s3:TestEvent");
        }
        if (EventBridgeEvent.is(event)) {
            return objectCreated(typed(event, EventBridgeEvent.class, "event"));
        }
        if (event != null && event.has("Records")) {
            Check.that(S3Notification.is(event), "Records[0].eventSource", "'" + event.at("/Records/0/eventSource")
                    .asText("") + "' is not a source this function takes; send an S3 event notification ("
                    + S3Notification.SOURCE + ") or an SQS batch (aws:sqs)");
            return notification(typed(event, S3Notification.class, "Records"));
        }
        if (event != null && event.isObject() && event.has("model")) {
            return batch.scoreRequest(request(event)).json();
        }
        throw QuiverException.badInput("event", "neither an S3 event notification (Records), an EventBridge event"
                + " (detail-type), an SQS batch nor a prediction request (model, rows or entities)");
    }

    private JsonNode objectCreated(EventBridgeEvent event) {
        Check.that(OBJECT_CREATED.equals(event.detailType()), "detail-type", "'" + event.detailType() + "' is not an"
                + " event this function takes; send '" + OBJECT_CREATED + "' (S3's EventBridge notifications)");
        String bucket = Check.required(event.detail().at("/bucket/name").asText(null), "detail.bucket.name");
        String key = Check.required(event.detail().at("/object/key").asText(null), "detail.object.key");
        return batch.scoreObject(bucket, key, "detail.object.key").json();
    }

    private JsonNode notification(S3Notification notification) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode written = out.putArray("written");
        for (int i = 0; i < notification.records().size(); i++) {
            S3Notification.Record r = notification.records().get(i);
            String at = "Records[" + i + "].s3";
            if (!r.created()) {
                // a deletion or a restore: nothing new to score
                LOG.infof("%s %s ignored", r.eventName(), at);
                continue;
            }
            Check.required(r.s3(), at);
            String bucket = Check.required(r.s3().bucket() == null ? null : r.s3().bucket().name(), at + ".bucket.name");
            String key = Check.required(r.s3().object() == null ? null : r.s3().object().decodedKey(),
                    at + ".object.key");
            written.add(batch.scoreObject(bucket, key, at + ".object.key").json());
        }
        return out;
    }

    private static PredictRequest request(JsonNode body) {
        PredictRequest request;
        try {
            request = Json.MAPPER.treeToValue(body, PredictRequest.class);
        } catch (JsonMappingException bad) {
            throw QuiverException.badInput(Json.fieldPath(bad, "body"), "not a prediction request: "
                    + bad.getOriginalMessage());
        } catch (JsonProcessingException bad) {
            throw QuiverException.badInput("body", "not a prediction request: " + bad.getOriginalMessage());
        }
        request.check();
        return request;
    }

    private static <T> T typed(JsonNode event, Class<T> type, String at) {
        try {
            return Json.MAPPER.treeToValue(event, type);
        } catch (JsonMappingException bad) {
            throw QuiverException.badInput(Json.fieldPath(bad, at), bad.getOriginalMessage());
        } catch (JsonProcessingException bad) {
            throw QuiverException.badInput(at, bad.getOriginalMessage());
        }
    }
}
