package dev.quiver.lambda.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * An EventBridge event as a rule or EventBridge Scheduler delivers it to a Lambda function, or as an SQS queue that
 * is a rule's target carries it in a message body. Its names are EventBridge's whatever the application's naming
 * strategy ({@code detail-type}, {@code source}); the {@code detail} stays JSON, for the function to read as the
 * {@code detail-type} says and to name a bad field as {@code detail.<field>}.
 * <p>
 * AWS's own {@code ScheduledEvent} models the same envelope, but with its detail as a {@code Map} and its time as a
 * Joda {@code DateTime}; neither suits a door that checks the detail field by field.
 *
 * @param detailType what happened ({@code Scheduled Event} for a schedule, {@code Object Created} from S3); null when
 *                   the JSON is not an EventBridge event
 * @param source     who sent it ({@code aws.events}, {@code aws.s3}, an application's own name)
 * @param id         the event's id, unique per event
 * @param time       when it happened, ISO-8601
 * @param resources  the ARNs the event concerns (the rule for a schedule, the bucket for S3)
 * @param detail     the event's content; a missing detail is a missing node, never null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventBridgeEvent(
        @JsonProperty("detail-type") String detailType,
        @JsonProperty("source") String source,
        @JsonProperty("id") String id,
        @JsonProperty("time") String time,
        @JsonProperty("resources") List<String> resources,
        @JsonProperty("detail") JsonNode detail) {

    /** The {@code detail-type} of a schedule, from an EventBridge rule or from EventBridge Scheduler. */
    public static final String SCHEDULED = "Scheduled Event";

    public EventBridgeEvent {
        resources = resources == null ? List.of() : List.copyOf(resources);
        detail = detail == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : detail;
    }

    /** Whether {@code json} is an EventBridge event: an object with a {@code detail-type}. */
    public static boolean is(JsonNode json) {
        return json != null && json.isObject() && json.hasNonNull("detail-type");
    }
}
