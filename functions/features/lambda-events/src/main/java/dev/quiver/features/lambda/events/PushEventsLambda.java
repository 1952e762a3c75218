package dev.quiver.features.lambda.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.feature.PushRequest;
import dev.quiver.feature.PushResult;
import dev.quiver.features.push.PushFunction;
import dev.quiver.json.Json;
import dev.quiver.lambda.events.SpansBeforeAnswer;
import io.quarkus.funqy.Funq;

/**
 * The features function's push door on Lambda (Funqy, {@code quarkus.funqy.export=push-events}): an SQS batch whose
 * messages each carry a push body, Feast's {@code POST /push} ({@code {"push_source_name", "df", "to"?}}), the usual
 * road for features computed by a stream job that should not wait on the store. Funqy's advanced event handling calls
 * this function once per message body; a message that fails (a bad row, an unknown push source, a store that is down)
 * is reported in {@code batchItemFailures} (enable {@code ReportBatchItemFailures} on the event source mapping) and the
 * others are kept. A push with any bad row writes nothing, and its refusal names the row
 * ({@code df[0].event_timestamp}), as {@code POST /push} does. A push body sent as the event itself is written the same
 * way.
 */
public class PushEventsLambda {

    private final PushFunction push;

    public PushEventsLambda(PushFunction push) {
        this.push = push;
    }

    /** One push body: the rows written and those a newer stored row made redundant. */
    @SpansBeforeAnswer
    @Funq("push-events")
    public PushResult pushEvents(JsonNode body) {
        Check.that(body != null && body.isObject() && !body.has("Records") && !body.has("detail-type"), "body",
                "not a push body {push_source_name, df}: send each push as one SQS message");
        PushRequest request;
        try {
            request = Json.MAPPER.treeToValue(body, PushRequest.class);
        } catch (JsonMappingException bad) {
            throw QuiverException.badInput(Json.fieldPath(bad, "body"), "not a push body: " + bad.getOriginalMessage());
        } catch (JsonProcessingException bad) {
            throw QuiverException.badInput("body", "not a push body: " + bad.getOriginalMessage());
        }
        return push.push(request);
    }
}
