package dev.quiver.predict.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Keeps API Gateway's own JSON names on the API Gateway types while the function's JSON is snake_case.
 *
 * <p>Quarkus's Lambda runtime reads each event and writes each response with a copy of the application's
 * {@link ObjectMapper}, so the function's global {@code SNAKE_CASE} naming would look for
 * {@code request_context} and {@code raw_path} in an event that says {@code requestContext} and
 * {@code rawPath}, find no HTTP method, and fail every invocation (and would write {@code status_code}
 * where API Gateway reads {@code statusCode}). A camelCase {@link JsonNaming} mix-in on the payload-2.0
 * event, its nested types and the response restores the names API Gateway uses; every other type keeps
 * the function's naming.
 */
@Singleton
public class ApiGatewayJson implements ObjectMapperCustomizer {

    /** The payload format 2.0 types that cross the Lambda runtime API, as the AWS events library names them. */
    static final List<Class<?>> API_GATEWAY_TYPES = List.of(
            APIGatewayV2HTTPEvent.class,
            APIGatewayV2HTTPEvent.RequestContext.class,
            APIGatewayV2HTTPEvent.RequestContext.Http.class,
            APIGatewayV2HTTPEvent.RequestContext.Authorizer.class,
            APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.class,
            APIGatewayV2HTTPEvent.RequestContext.IAM.class,
            APIGatewayV2HTTPEvent.RequestContext.CognitoIdentity.class,
            APIGatewayV2HTTPResponse.class);

    @Override
    public void customize(ObjectMapper mapper) {
        for (Class<?> type : API_GATEWAY_TYPES) {
            mapper.addMixIn(type, CamelCase.class);
        }
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @RegisterForReflection
    abstract static class CamelCase {
    }
}
