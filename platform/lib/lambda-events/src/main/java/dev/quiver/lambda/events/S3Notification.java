package dev.quiver.lambda.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An Amazon S3 event notification, as S3 delivers it to a Lambda function directly, or in an SQS message body or an SNS
 * message when the bucket notifies a queue or a topic. Only what a door needs to find the object is read; the names are
 * S3's whatever the application's naming strategy.
 * <p>
 * AWS's {@code S3EventNotification} (aws-lambda-java-events) models the same JSON but has no Jackson bindings of its
 * own (its classes are built through constructors), so the Lambda mapper cannot read it.
 *
 * @param records one record per object event; S3 sends one, but the format allows several
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record S3Notification(@JsonProperty("Records") List<Record> records) {

    /** The event source S3 names itself with. */
    public static final String SOURCE = "aws:s3";

    public S3Notification {
        records = records == null ? List.of() : List.copyOf(records);
    }

    /** Whether {@code json} is an S3 event notification: {@code Records} whose first names {@code aws:s3}. */
    public static boolean is(JsonNode json) {
        return json != null && SOURCE.equals(json.at("/Records/0/eventSource").asText(null));
    }

    /**
     * Whether {@code json} is the test message S3 sends when a notification to a queue or topic is configured
     * ({@code "Event": "s3:TestEvent"}): no object is concerned, and a door must not fail on it.
     */
    public static boolean isTestEvent(JsonNode json) {
        return json != null && "s3:TestEvent".equals(json.path("Event").asText(null));
    }

    /**
     * One object event.
     *
     * @param eventSource {@code aws:s3}
     * @param eventName   what happened, such as {@code ObjectCreated:Put} or {@code ObjectRemoved:Delete}
     * @param eventTime   when, ISO-8601
     * @param s3          the bucket and the object
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Record(@JsonProperty("eventSource") String eventSource, @JsonProperty("eventName") String eventName,
                         @JsonProperty("eventTime") String eventTime, @JsonProperty("s3") Entity s3) {

        /** Whether the event is an object's creation (a put, a copy, a completed multipart upload). */
        public boolean created() {
            return eventName != null && eventName.startsWith("ObjectCreated:");
        }
    }

    /** The bucket and the object of a record. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entity(@JsonProperty("bucket") Bucket bucket, @JsonProperty("object") S3Object object) {
    }

    /** @param name the bucket's name */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Bucket(@JsonProperty("name") String name) {
    }

    /**
     * The object.
     *
     * @param key  the key as S3 notifications carry it: URL-encoded, a space as {@code +} ({@link #decodedKey})
     * @param size its size in bytes
     * @param eTag its entity tag
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record S3Object(@JsonProperty("key") String key, @JsonProperty("size") Long size,
                           @JsonProperty("eTag") String eTag) {

        /** The key as S3 stores it: notifications URL-encode it (EventBridge's "Object Created" events do not). */
        public String decodedKey() {
            return key == null ? null : URLDecoder.decode(key, StandardCharsets.UTF_8);
        }
    }
}
