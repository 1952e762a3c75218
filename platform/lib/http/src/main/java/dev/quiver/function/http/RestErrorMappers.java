package dev.quiver.function.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.quiver.error.QuiverException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps failures of the REST doors (Open Inference Protocol, registry) to JSON error bodies. */
public class RestErrorMappers {

    @ServerExceptionMapper
    public Response core(QuiverException e, UriInfo uri) {
        return answer(Failures.of(e), uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return answer(Failures.of(e), uri);
    }

    /** Ahead of Quarkus's own mapper of this type, which answers 400 with no body. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return answer(Failures.of(e), uri);
    }

    /**
     * Ahead of Quarkus's own mapper of this type, which answers 500: read from a request body ({@code "shape": "1,73"}
     * where an array of integers is due), it is the caller's error; written into an answer, it stays a 500.
     */
    @ServerExceptionMapper
    public Response definition(InvalidDefinitionException e, UriInfo uri) {
        return answer(e.getProcessor() instanceof JsonParser ? Failures.of(e) : Failures.of(new IllegalStateException(e)),
                uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException || cause instanceof QuiverException) {
            return answer(Failures.of(cause), uri);
        }
        return answer(Failures.ofStatus(e.getResponse().getStatus()), uri);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 100)
    public Response unexpected(RuntimeException e, UriInfo uri) {
        return answer(Failures.of(e), uri);
    }

    /** Open Inference Protocol paths answer with the protocol's error body; the others add field and reason. */
    private static Response answer(Failures.Answer a, UriInfo uri) {
        boolean oip = uri.getPath().startsWith("/v2");
        Response.ResponseBuilder r = Response.status(a.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(oip ? a.body().errorOnly() : a.body());
        if (a.retryAfterSeconds() > 0) {
            r.header(HttpHeaders.RETRY_AFTER, a.retryAfterSeconds());
        }
        return r.build();
    }
}
