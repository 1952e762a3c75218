package dev.quiver.drift.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.amazon.lambda.runtime.FunctionError;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Keeps the error a failed invocation reports to the Lambda runtime API as {@code {"errorType", "errorMessage"}},
 * the names AWS reads: the drift module writes its JSON in snake_case ({@code quarkus.jackson.property-naming-strategy}),
 * and the Lambda runtime serializes its error with the same mapper.
 */
@Singleton
public class LambdaErrorNaming implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.addMixIn(FunctionError.class, CamelCase.class);
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    abstract static class CamelCase {
    }
}
