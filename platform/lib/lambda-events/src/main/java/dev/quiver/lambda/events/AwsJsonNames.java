package dev.quiver.lambda.events;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.amazon.lambda.runtime.FunctionError;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Keeps the AWS classes the Lambda runtime reads and writes in AWS's own JSON names ({@code messageId},
 * {@code batchItemFailures}, {@code errorType}) while the functions write their JSON in snake_case
 * ({@code quarkus.jackson.property-naming-strategy}): the Lambda runtime and Funqy's event handling copy the
 * application's mapper, so without this an SQS record's {@code messageId} reads as null and the batch response goes
 * out as {@code batch_item_failures}, which Lambda ignores (and then retries the whole batch). AWS's capitalised
 * names ({@code Records}, {@code eventSourceARN}) match because the Lambda mapper accepts any case.
 */
@Singleton
public class AwsJsonNames implements ObjectMapperCustomizer {

    /** The classes that keep AWS's names. */
    static final List<Class<?>> AWS_CLASSES = List.of(FunctionError.class, SQSEvent.class, SQSEvent.SQSMessage.class,
            SQSEvent.MessageAttribute.class, SQSBatchResponse.class, SQSBatchResponse.BatchItemFailure.class);

    @Override
    public void customize(ObjectMapper mapper) {
        AWS_CLASSES.forEach(c -> mapper.addMixIn(c, CamelCase.class));
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    abstract static class CamelCase {
    }
}
