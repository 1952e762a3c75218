package dev.quiver.predict.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quiver.error.QuiverException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps failures of the REST doors (Open Inference Protocol, registry) to JSON error bodies. */
public class RestErrorMappers {

    @ServerExceptionMapper
    public Response core(QuiverException e) {
        return answer(Failures.of(e));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return answer(Failures.of(e));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException || cause instanceof QuiverException) {
            return answer(Failures.of(cause));
        }
        return answer(Failures.ofStatus(e.getResponse().getStatus()));
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 100)
    public Response unexpected(RuntimeException e) {
        return answer(Failures.of(e));
    }

    private static Response answer(Failures.Answer a) {
        return Response.status(a.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(a.body()).build();
    }
}
